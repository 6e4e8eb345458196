"""The state store on SQLite and PostgreSQL: keyed hashes, expiry, erase, optimistic concurrency."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.types import ConversationState
from bot.store.counters import SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.states import ConcurrentUpdate, ConversationKeys, SqlStateStore


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await asyncio.to_thread(migrate, db_url)
    engine = create_engine_for(db_url)
    yield session_factory(engine)
    await engine.dispose()


def test_keys_are_hmacs_that_depend_on_the_secret_and_channel() -> None:
    keys = ConversationKeys(b"secret-one")
    key = keys.key("telegram", 987654321)
    assert len(key) == 64 and "987654321" not in key
    assert key == keys.key("telegram", "987654321")
    assert key != keys.key("web", 987654321)
    assert key != ConversationKeys(b"secret-two").key("telegram", 987654321)


async def test_save_load_and_erase(sessions: async_sessionmaker[AsyncSession]) -> None:
    store = SqlStateStore(sessions, dt.timedelta(hours=1))

    async def set_node(
        state: ConversationState | None,
    ) -> tuple[ConversationState | None, ConversationState | None]:
        new = (state or ConversationState(locale="es")).model_copy(update={"node": "asylum"})
        return new, state

    assert await store.transaction("k" * 64, set_node) is None
    seen = await store.transaction("k" * 64, set_node)
    assert seen is not None and seen.node == "asylum" and seen.locale == "es"
    await store.erase("k" * 64)
    assert await store.transaction("k" * 64, set_node) is None


async def test_expired_state_is_not_served_and_is_purged(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store = SqlStateStore(sessions, dt.timedelta(seconds=-1))

    async def touch(state: ConversationState | None) -> tuple[ConversationState | None, bool]:
        return ConversationState(locale="en", node="main"), state is not None

    assert await store.transaction("e" * 64, touch) is False
    assert await store.transaction("e" * 64, touch) is False, "an expired state starts fresh"
    assert await store.purge_expired() == 1


async def test_a_concurrent_writer_is_detected_not_overwritten(
    sessions: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip(
            "SQLite runs every transaction as BEGIN IMMEDIATE: a second writer waits for the "
            "first and cannot come between its read and its write (tests/delivery covers it)"
        )
    store = SqlStateStore(sessions, dt.timedelta(hours=1))
    key = "c" * 64

    async def create(state: ConversationState | None) -> tuple[ConversationState | None, None]:
        return ConversationState(locale="es", node="main"), None

    await store.transaction(key, create)

    async def slow_write(state: ConversationState | None) -> tuple[ConversationState | None, None]:
        assert state is not None

        async def other_worker(
            inner: ConversationState | None,
        ) -> tuple[ConversationState | None, None]:
            return ConversationState(locale="es", node="cat"), None

        await store.transaction(key, other_worker)  # another worker saves first
        return state.model_copy(update={"node": "asylum"}), None

    with pytest.raises(ConcurrentUpdate):
        await store.transaction(key, slow_write)

    async def read(state: ConversationState | None) -> tuple[ConversationState | None, str | None]:
        return state, state.node if state else None

    assert await store.transaction(key, read) == "cat", "the first writer's answer was kept"


async def test_two_new_conversations_racing_on_one_key(
    sessions: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip(
            "SQLite runs every transaction as BEGIN IMMEDIATE: a second writer waits for the "
            "first and cannot come between its read and its write (tests/delivery covers it)"
        )
    store = SqlStateStore(sessions, dt.timedelta(hours=1))
    key = "n" * 64

    async def create_after_other(
        state: ConversationState | None,
    ) -> tuple[ConversationState | None, None]:
        async def other(inner: ConversationState | None) -> tuple[ConversationState | None, None]:
            return ConversationState(locale="en"), None

        await store.transaction(key, other)
        return ConversationState(locale="es"), None

    with pytest.raises(ConcurrentUpdate):
        await store.transaction(key, create_after_other)


async def test_counters_add_up_atomically(sessions: async_sessionmaker[AsyncSession]) -> None:
    counters = SqlCounters(sessions)
    day = dt.date(2026, 11, 23)
    await asyncio.gather(*(counters.add(day, "web", "es", "asylum") for _ in range(20)))
    await counters.add(day, "telegram", "en", "cat", 3)
    assert await counters.all() == [
        ((day, "telegram", "en", "cat"), 3),
        ((day, "web", "es", "asylum"), 20),
    ]
