"""National resources carry ``last_verified`` like organisations (review item 29), with the same
warn and hide ages; one still quoted on the national screen after the hide age is an error,
because the screen's text cannot hide it by itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.directory.loader import NATIONAL_FILE, check_national, parse_national_file
from bot.directory.search import Directory

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "broken" / "national_last_verified"
REAL = Path(__file__).resolve().parents[2] / "flows" / "legal_aid" / NATIONAL_FILE
TODAY = dt.date(2026, 12, 1)
FILE = "flows/legal_aid/national.yaml"


def test_each_age_of_a_national_resource_is_told_in_words() -> None:
    entries, problems = parse_national_file(FIXTURE / NATIONAL_FILE, FILE)
    assert problems == []
    found = [str(p) for p in check_national(entries, FILE, TODAY, 180, 365)]
    assert found == [
        f'{FILE}:2: warning: resource "never_dated": has no last_verified: add the day a person '
        "last confirmed its number or address (last_verified: YYYY-MM-DD), or last_verified: null "
        "if nobody has",
        f'{FILE}:31: warning: resource "stale": last verified on 2026-04-01, 244 days ago (more '
        "than 180): people see it with a warning; check it and update last_verified",
        f'{FILE}:39: resource "too_old_shown": last verified on 2024-11-01, more than 365 days '
        'ago, and people still read it on the screen "legal_aid_national": check it and update '
        "last_verified, or take it off that screen and set shown: false",
        f'{FILE}:47: warning: resource "too_old_hidden": last verified on 2024-11-01, 760 days ago '
        "(more than 365): it is hidden from people until someone checks it and updates "
        "last_verified",
    ]


def test_a_resource_checked_too_long_ago_is_not_handed_out() -> None:
    entries, _ = parse_national_file(FIXTURE / NATIONAL_FILE, FILE)
    directory = Directory([], [e.item for e in entries], 180, 365, lambda: TODAY)
    assert directory.resource("fresh") is not None
    assert directory.resource("stale") is not None
    assert directory.resource("not_confirmed_yet") is not None
    assert directory.resource("too_old_hidden") is None


def test_every_real_national_resource_says_when_it_was_confirmed() -> None:
    entries, problems = parse_national_file(REAL, FILE)
    assert problems == []
    assert entries
    for entry in entries:
        assert "last_verified" in entry.field_lines, entry.item.id
        # legal-aid-sources.md, from which every entry comes, was compiled on this day.
        assert entry.item.last_verified == dt.date(2026, 11, 23), entry.item.id
