"""The search: who comes first for detained people, by state, court and language; the age of an
entry decides whether it is shown, with a warning or not at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.directory.model import Provider
from bot.directory.search import Directory, Freshness, Query

TODAY = dt.date(2026, 11, 23)


def provider(pid: str, **fields: Any) -> Provider:
    values: dict[str, Any] = {
        "id": pid,
        "name": pid.replace("_", " ").title(),
        "website": f"https://{pid.replace('_', '-')}.example.org",
        "source": "test",
    }
    values.update(fields)
    return Provider.model_validate(values)


PROVIDERS = [
    provider("tx_detained", city="San Antonio", state="TX", courts=["San Antonio, TX"],
             services=["asylum", "detained"], languages=["es"], cost=["free"]),
    provider("tx_general", city="Austin", state="TX", services=["asylum"], languages=["en"],
             cost=["low_cost"]),
    provider("tx_spanish", city="El Paso", state="TX", services=["immigration"], languages=["es"],
             cost=["free"]),
    provider("tx_detained_only", city="Harlingen", state="TX", services=["detained", "representation"],
             serves_only=["detained"], cost=["free"]),
    provider("nm_local", city="Las Cruces", state="NM", services=["asylum"], languages=["es"]),
    provider("remote_tx", city="Houston", state="TX", remote=True, services=["referrals"],
             languages=["es", "en"], interpretation=True, phone="+19155550100", website="",
             cost=["free"]),
    provider("national_kids", nationwide=True, services=["children"], serves_only=["children"],
             cost=["free"]),
    provider("no_contact", city="Dallas", state="TX", services=["asylum"], website=""),
    provider("ca_interpreters", city="San Diego", state="CA", states_served=["MX"],
             services=["asylum"], interpretation=True, cost=["free"]),
]  # fmt: skip


def ids(directory: Directory, query: Query) -> list[str]:
    return [found.provider.id for found in directory.search(query, TODAY)]


@pytest.fixture
def directory() -> Directory:
    return Directory(PROVIDERS, clock=lambda: TODAY)


def test_detained_people_see_organizations_that_help_in_detention_first(
    directory: Directory,
) -> None:
    assert ids(directory, Query(state="TX", detained=True, language="es")) == [
        "tx_detained",
        "tx_detained_only",
        "tx_spanish",
        "remote_tx",
        "tx_general",
        "national_kids",
    ]


def test_people_not_detained_see_open_organizations_before_detention_only_ones(
    directory: Directory,
) -> None:
    assert ids(directory, Query(state="TX", detained=False, language="es")) == [
        "tx_detained",
        "tx_spanish",
        "remote_tx",
        "tx_general",
        "tx_detained_only",
        "national_kids",
    ]


def test_language_match_comes_before_cost_and_in_person_before_remote(directory: Directory) -> None:
    assert ids(directory, Query(state="TX", language="en")) == [
        "remote_tx",
        "tx_general",
        "tx_detained",
        "tx_spanish",
        "tx_detained_only",
        "national_kids",
    ]


def test_another_language_prefers_organizations_with_interpreters(directory: Directory) -> None:
    assert ids(directory, Query(state="TX", language="other"))[0] == "remote_tx"


def test_other_states_get_their_own_and_then_nationwide_organizations(directory: Directory) -> None:
    assert ids(directory, Query(state="NM")) == ["nm_local", "national_kids"]
    assert ids(directory, Query(state="FL")) == ["national_kids"]
    assert ids(directory, Query(state="MX")) == ["ca_interpreters", "national_kids"]


def test_the_court_city_ranks_organizations_there_first(directory: Directory) -> None:
    assert ids(directory, Query(state="TX", court="El Paso, TX"))[0] == "tx_spanish"
    assert ids(directory, Query(state="TX", court="San Antonio, TX"))[0] == "tx_detained"


def test_service_filter_and_unreachable_entries(directory: Directory) -> None:
    assert ids(directory, Query(state="TX", service="referrals")) == ["remote_tx"]
    everyone = ids(directory, Query())
    assert "no_contact" not in everyone and len(everyone) == len(PROVIDERS) - 1


def test_courts_offered_for_a_state_come_from_the_data(directory: Directory) -> None:
    assert directory.courts("TX") == ["San Antonio, TX"]
    assert directory.courts("NM") == []
    assert directory.courts(None) == []


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        (None, Freshness.UNVERIFIED),
        (0, Freshness.FRESH),
        (180, Freshness.FRESH),
        (181, Freshness.STALE),
        (365, Freshness.STALE),
        (366, Freshness.HIDDEN),
    ],
)
def test_the_age_of_an_entry_decides_how_it_is_shown(
    days_ago: int | None, expected: Freshness
) -> None:
    verified = None if days_ago is None else TODAY - dt.timedelta(days=days_ago)
    entry = provider("aged", state="TX", services=["asylum"], last_verified=verified)
    directory = Directory([entry], warn_days=180, hide_days=365, clock=lambda: TODAY)
    found = directory.search(Query(state="TX"))
    if expected is Freshness.HIDDEN:
        assert found == []
    else:
        assert [f.freshness for f in found] == [expected]


def test_configured_ages_are_used() -> None:
    entry = provider(
        "aged", state="TX", services=["asylum"], last_verified=TODAY - dt.timedelta(days=40)
    )
    strict = Directory([entry], warn_days=30, hide_days=60, clock=lambda: TODAY)
    assert [f.freshness for f in strict.search(Query(state="TX"))] == [Freshness.STALE]
    stricter = Directory([entry], warn_days=10, hide_days=35, clock=lambda: TODAY)
    assert stricter.search(Query(state="TX")) == []


AGED = [
    provider("fresh", state="AZ", services=["asylum"], last_verified=TODAY - dt.timedelta(days=10)),
    provider("stale", state="AZ", services=["asylum", "detained"], last_verified=TODAY - dt.timedelta(days=200)),
    provider("gone", state="AZ", services=["asylum"], last_verified=TODAY - dt.timedelta(days=400)),
]  # fmt: skip


def test_old_entries_are_hidden_and_stale_ones_come_with_a_warning() -> None:
    found = Directory(AGED, clock=lambda: TODAY).search(Query(state="AZ"), TODAY)
    assert [(f.provider.id, f.freshness) for f in found] == [
        ("fresh", Freshness.FRESH),
        ("stale", Freshness.STALE),
    ]
