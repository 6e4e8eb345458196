"""An organization whose staff languages are not known (``languages: []``) is neutral in the
ranking, not ranked as "no Spanish" (review item 27): the El Paso organizations Las Americas and
Estrella del Paso must not fall to the end for a Spanish speaker in Texas because of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.directory.model import Provider
from bot.directory.search import Directory, Query, rank_key
from bot.directory.service import build_directory

REAL = Path(__file__).resolve().parents[2] / "flows" / "legal_aid"
TODAY = dt.date(2026, 12, 1)
SPANISH_IN_TEXAS = Query(state="TX", language="es")


@pytest.fixture(scope="module")
def directory() -> Directory:
    return build_directory(REAL, 180, 365, lambda: TODAY)


def _ids(directory: Directory, query: Query) -> list[str]:
    return [found.provider.id for found in directory.search(query, TODAY)]


@pytest.mark.parametrize("pid", ["las_americas", "estrella_del_paso"])
def test_unknown_languages_rank_exactly_as_if_they_spoke_spanish(
    directory: Directory, pid: str
) -> None:
    provider = next(p for p in directory.providers if p.id == pid)
    assert provider.languages == [], "the data does not say which languages its staff speak"
    speaks_spanish = Provider.model_validate({**provider.model_dump(), "languages": ["es"]})
    assert rank_key(provider, SPANISH_IN_TEXAS, 0) == rank_key(speaks_spanish, SPANISH_IN_TEXAS, 0)


def test_el_paso_organizations_are_not_last_for_a_spanish_speaker_in_texas(
    directory: Directory,
) -> None:
    texas = [
        pid
        for pid in _ids(directory, SPANISH_IN_TEXAS)
        if next(p for p in directory.providers if p.id == pid).state == "TX"
    ]
    # Estrella del Paso (free, in person) comes first; it was fourth, behind every
    # organization that lists Spanish, when "unknown" counted as "no Spanish".
    assert texas[0] == "estrella_del_paso"
    # Las Americas comes where it would come if its data said "Spanish": after the free
    # organizations, because its data states no cost either, not because of its languages.
    as_if_spanish = [
        Provider.model_validate({**p.model_dump(), "languages": ["es"]})
        if p.id in ("las_americas", "estrella_del_paso")
        else p
        for p in directory.providers
    ]
    same_data_with_spanish = Directory(as_if_spanish, directory.national, clock=lambda: TODAY)
    assert _ids(directory, SPANISH_IN_TEXAS) == _ids(same_data_with_spanish, SPANISH_IN_TEXAS)


def test_a_known_language_list_without_spanish_still_ranks_after(directory: Directory) -> None:
    english_only = Provider.model_validate(
        {
            **next(p for p in directory.providers if p.id == "estrella_del_paso").model_dump(),
            "id": "english_only",
            "name": "English only",
            "languages": ["en"],
        }
    )
    speaks_spanish = Provider.model_validate({**english_only.model_dump(), "languages": ["es"]})
    assert rank_key(english_only, SPANISH_IN_TEXAS, 0) > rank_key(
        speaks_spanish, SPANISH_IN_TEXAS, 0
    )
