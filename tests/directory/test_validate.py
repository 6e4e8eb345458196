"""The directory validator: each broken fixture is caught with the exact words an editor reads.

Every file in ``data/broken/`` is the same valid entry with one field broken; the test asserts
the full ``file:line: provider "id": message`` line, so a vague or misplaced message fails.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.directory.loader import check_providers, parse_national_file, parse_providers_file
from bot.directory.vocabulary import SERVICES

DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 11, 23)
SERVICE_LIST = ", ".join(SERVICES)

BROKEN: dict[str, str] = {
    "bad_phone": 'bad_phone.yaml:8: provider "sample": phone: "+1 555 0100" is not a valid phone '
    'number: write it like +18005551234, or leave it empty ("") when it is not confirmed',
    "phone_with_dashes": 'phone_with_dashes.yaml:8: provider "sample": phone: write the phone '
    'number as "+19155550100" (no spaces or dashes)',
    "phone_unquoted": 'phone_unquoted.yaml:8: provider "sample": phone: write this in quotes, '
    'e.g. phone: "..."',
    "bad_website": 'bad_website.yaml:9: provider "sample": website: "example.org" is not a web '
    "address: write it in full, e.g. https://example.org, or leave it empty",
    "bad_state": 'bad_state.yaml:5: provider "sample": state: write the two-letter code "TX" '
    'instead of "Texas"',
    "unknown_state": 'unknown_state.yaml:5: provider "sample": state: "XX" is not a US state: '
    "use its two-letter code, e.g. TX or CA",
    "bad_states_served": 'bad_states_served.yaml:6: provider "sample": states_served: write the '
    'two-letter code "NM" instead of "Nuevo Mexico"',
    "bad_court": 'bad_court.yaml:6: provider "sample": courts: write the court as "City, ST", '
    'e.g. "San Antonio, TX" (not "El Paso")',
    "bad_service": 'bad_service.yaml:6: provider "sample": services: unknown service "removal '
    f'defense"; did you mean "removal_defense"? (allowed: {SERVICE_LIST})',
    "no_services": 'no_services.yaml:6: provider "sample": services: list at least one',
    "bad_language": 'bad_language.yaml:7: provider "sample": languages: write the language code '
    '"es" instead of "spanish"',
    "unknown_language": 'unknown_language.yaml:7: provider "sample": languages: unknown language '
    '"zz": write its ISO code, e.g. es (Spanish), en (English), myn (Mayan languages)',
    "bad_cost": 'bad_cost.yaml:10: provider "sample": cost: unknown cost "gratis" (allowed: free, '
    "low_cost, sliding_scale)",
    "bad_serves_only": 'bad_serves_only.yaml:11: provider "sample": serves_only: "women" cannot '
    "be used here (allowed: detained, children)",
    "serves_only_not_offered": 'serves_only_not_offered.yaml:11: provider "sample": serves_only '
    'lists "children" but services does not; add it to services',
    "bad_remote": 'bad_remote.yaml:11: provider "sample": remote: write true or false',
    "bad_doj": 'bad_doj.yaml:11: provider "sample": doj_recognized: write true or false, or null '
    "when unknown",
    "bad_last_verified": 'bad_last_verified.yaml:11: provider "sample": last_verified: write the '
    "date as YYYY-MM-DD, e.g. 2026-11-23, or null when unknown",
    "impossible_date": 'impossible_date.yaml:11: "2026-13-01" is not a real date (month must be '
    "in 1..12); write dates as YYYY-MM-DD (the other checks run once this file can be read)",
    "future_verified": 'future_verified.yaml:11: provider "sample": last_verified: 2027-01-01 is '
    "in the future; write the day someone really checked it",
    "bad_source_date": 'bad_source_date.yaml:12: provider "sample": source_date: "Sept 2024" is '
    "not a source date: write 2024-09-28, 2024-09 or 2024 (~2024 when approximate), or null "
    "when the source has no date",
    "bad_id": 'bad_id.yaml:2: provider "Sample Aid": id: the id "Sample Aid" must use only '
    "lowercase letters, digits and _ (40 at most), e.g. las_americas",
    "missing_source": 'missing_source.yaml:2: provider "sample": the field "source" is required',
    "unknown_field": 'unknown_field.yaml:11: provider "sample": unknown field "telefono" (check '
    "the spelling; the fields are listed at the top of the file)",
    "no_state": 'no_state.yaml:2: provider "sample": state: give the two-letter code of the '
    'state, or write "nationwide: true" for an organization that serves the whole country',
    "duplicate_id": 'duplicate_id.yaml:12: provider "sample": the id is used twice (first at '
    "line 2); give each entry its own id",
    "duplicate_name": 'duplicate_name.yaml:13: provider "sample_two": the same name is already '
    'used by "sample" at line 3',
    # The same words as for a flow file (one explanation of YAML slips for both).
    "yaml_syntax": "yaml_syntax.yaml:8: there is more text after a closing quote. When a text "
    'starts with a quote, put the whole text in quotes, for example note: \'He said "yes" and '
    "left' (the other checks run once this file can be read)",
}

WARNINGS: dict[str, str] = {
    "stale": 'stale.yaml:11: warning: provider "sample": last verified on 2026-04-01, 236 days '
    "ago (more than 180): people see it with a warning; check it and update last_verified",
    "hidden": 'hidden.yaml:11: warning: provider "sample": last verified on 2025-06-01, 540 days '
    "ago (more than 365): it is hidden from people until someone checks it and updates "
    "last_verified",
    "no_contact": 'no_contact.yaml:2: warning: provider "sample": has no phone and no website, '
    "so people cannot reach it: it is not shown to people until one is added",
}


def problems_of(name: str) -> list[str]:
    path = DATA / "broken" / f"{name}.yaml"
    entries, problems = parse_providers_file(path, path.name)
    problems += check_providers(entries, path.name, TODAY, 180, 365)
    return [str(p) for p in sorted(problems)]


def test_every_broken_fixture_is_listed_here() -> None:
    files = {p.stem for p in (DATA / "broken").glob("*.yaml")}
    assert files == set(BROKEN) | set(WARNINGS)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_field_is_one_error_on_its_line(name: str) -> None:
    path = DATA / "broken" / f"{name}.yaml"
    entries, problems = parse_providers_file(path, path.name)
    problems += check_providers(entries, path.name, TODAY, 180, 365)
    assert [str(p) for p in problems] == [BROKEN[name]]
    assert problems[0].severity == "error"


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_stale_and_unreachable_entries_are_warnings(name: str) -> None:
    assert problems_of(name) == [WARNINGS[name]]


def test_the_same_entry_unbroken_has_no_problem() -> None:
    path = DATA / "broken" / "stale.yaml"
    entries, _ = parse_providers_file(path, path.name)
    assert check_providers(entries, path.name, dt.date(2026, 4, 2), 180, 365) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "shown_unconfirmed",
            'shown_unconfirmed.yaml:6: resource "some_directory": confidence "?" means '
            "unconfirmed: it is never shown to people; set shown: false",
        ),
        (
            "bad_confidence",
            'bad_confidence.yaml:5: resource "some_line": confidence: write G (official text), '
            "S (secondary source) or ? (not confirmed)",
        ),
        (
            "no_contact",
            'no_contact.yaml:5: resource "some_line": a resource shown to people needs a phone or '
            "a website",
        ),
    ],
)
def test_national_resources_are_checked(name: str, expected: str) -> None:
    path = DATA / "national" / f"{name}.yaml"
    _, problems = parse_national_file(path, path.name)
    assert [str(p) for p in problems] == [expected]


def test_cli_validate_prints_file_line_and_fails_on_errors(tmp_path: Path) -> None:
    folder = tmp_path / "legal_aid"
    folder.mkdir()
    shutil.copy(DATA / "broken" / "bad_phone.yaml", folder / "providers.yaml")
    shutil.copy(DATA / "national" / "shown_unconfirmed.yaml", folder / "national.yaml")
    result = CliRunner().invoke(app, ["providers", "validate", "--folder", str(folder)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[1].endswith(
        'providers.yaml:8: provider "sample": phone: "+1 555 0100" is not a valid phone number: '
        'write it like +18005551234, or leave it empty ("") when it is not confirmed'
    )
    assert lines[0].endswith(
        'national.yaml:6: resource "some_directory": confidence "?" means unconfirmed: it is '
        "never shown to people; set shown: false"
    )
    assert lines[-1] == (
        "0 organization(s) and 1 national resource(s) checked: 2 error(s), 0 warning(s)."
    )


def test_cli_validate_passes_the_real_directory() -> None:
    result = CliRunner().invoke(app, ["providers", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(
        "17 organization(s) and 9 national resource(s) checked: 0 error(s)"
    )
