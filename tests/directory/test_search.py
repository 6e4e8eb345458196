"""The search: who comes first for detained people, by state, court and language; the age of an
entry; and the SQL search giving the same answers as the in-memory one on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.directory.database import load_directory_into_db, search_db
from bot.directory.model import Provider
from bot.directory.search import Directory, Freshness, Query
from bot.directory.tables import ProviderRow
from bot.store.database import MIGRATIONS, create_engine_for, migrate, session_factory, sync_url

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


# -- the same search in SQL ------------------------------------------------------------------------

AGED = [
    provider("fresh", state="AZ", services=["asylum"], last_verified=TODAY - dt.timedelta(days=10)),
    provider("stale", state="AZ", services=["asylum", "detained"], last_verified=TODAY - dt.timedelta(days=200)),
    provider("gone", state="AZ", services=["asylum"], last_verified=TODAY - dt.timedelta(days=400)),
]  # fmt: skip

QUERIES = [
    Query(),
    Query(state="TX"),
    Query(state="TX", detained=True, language="es"),
    Query(state="TX", detained=False, language="es"),
    Query(state="TX", language="en"),
    Query(state="TX", language="other"),
    Query(state="TX", court="El Paso, TX"),
    Query(state="TX", court="San Antonio, TX", detained=True),
    Query(state="TX", service="referrals"),
    Query(state="NM"),
    Query(state="FL"),
    Query(state="MX", language="es"),
    Query(state="AZ"),
    Query(state="AZ", detained=True),
]


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    migrate(db_url)
    engine = create_engine_for(db_url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("query", QUERIES, ids=repr)
async def test_sql_search_matches_the_memory_search(
    sessions: async_sessionmaker[AsyncSession], query: Query
) -> None:
    everything = [*PROVIDERS, *AGED]
    assert await load_directory_into_db(sessions, everything) == len(everything)
    memory = Directory(everything, clock=lambda: TODAY).search(query, TODAY)
    sql = await search_db(sessions, query, TODAY, warn_days=180, hide_days=365)
    assert [(f.provider.id, f.freshness) for f in sql] == [
        (f.provider.id, f.freshness) for f in memory
    ]
    assert [f.provider for f in sql] == [f.provider for f in memory], "rows give back the same data"


async def test_sql_search_hides_old_entries_and_warns_on_stale_ones(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await load_directory_into_db(sessions, AGED)
    found = await search_db(sessions, Query(state="AZ"), TODAY, warn_days=180, hide_days=365)
    assert [(f.provider.id, f.freshness) for f in found] == [
        ("fresh", Freshness.FRESH),
        ("stale", Freshness.STALE),
    ]


async def test_loading_replaces_the_whole_directory_in_one_transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await load_directory_into_db(sessions, PROVIDERS)
    await load_directory_into_db(sessions, AGED)
    async with sessions() as session:
        stored = (
            (await session.execute(select(ProviderRow.id).order_by(ProviderRow.position)))
            .scalars()
            .all()
        )
    assert stored == ["fresh", "stale", "gone"]
    with pytest.raises(IntegrityError):
        await load_directory_into_db(sessions, [PROVIDERS[0], PROVIDERS[0]])
    async with sessions() as session:
        kept = (
            (await session.execute(select(ProviderRow.id).order_by(ProviderRow.position)))
            .scalars()
            .all()
        )
    assert kept == ["fresh", "stale", "gone"], (
        "a failed load leaves the previous directory in place"
    )


def test_the_migration_creates_and_drops_the_directory_tables(db_url: str) -> None:
    from sqlalchemy import create_engine

    migrate(db_url)
    engine = create_engine(sync_url(db_url))
    try:
        assert {"legal_aid_provider", "legal_aid_provider_item"} <= set(
            inspect(engine).get_table_names()
        )
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["url"] = sync_url(db_url)
        command.downgrade(config, "0001")
        names = set(inspect(engine).get_table_names())
        assert "legal_aid_provider" not in names and "conversation_state" in names
    finally:
        engine.dispose()
