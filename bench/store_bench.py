"""Whole turns (hash, load, engine, save, count) per second on each storage backend.

Baseline: the same turns on the in-memory store, in the same run; PostgreSQL is measured only
where a server answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
import tempfile
import time
from pathlib import Path

from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.engine.types import Event
from bot.settings import get_settings
from bot.store.counters import MemoryCounters, SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.states import ConversationKeys, MemoryStateStore, SqlStateStore

TURNS = 300
PEOPLE = 20


async def _turns(conversations: Conversations) -> float:
    events = [Event.typed("/menu", "es"), Event.pressed("b:main:asylum"), Event.pressed("nav:back")]
    start = time.perf_counter()
    tasks = []
    for i in range(TURNS):
        tasks.append(conversations.handle("bench", f"person-{i % PEOPLE}", events[i % len(events)]))
        if len(tasks) == PEOPLE:
            await asyncio.gather(*tasks)
            tasks = []
    await asyncio.gather(*tasks)
    return TURNS / (time.perf_counter() - start)


async def _sql(holder: ContentHolder, url: str) -> float:
    await asyncio.to_thread(migrate, url)
    engine = create_engine_for(url)
    sessions = session_factory(engine)
    rate = await _turns(
        Conversations(
            holder,
            ConversationKeys(b"bench"),
            SqlStateStore(sessions, dt.timedelta(hours=1)),
            SqlCounters(sessions),
        )
    )
    await engine.dispose()
    return rate


def _postgres_url() -> str | None:
    try:
        import psycopg

        admin = "postgresql://postgres@127.0.0.1:5432/test"
        name = f"helpline_bench_{secrets.token_hex(4)}"
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    except Exception:  # noqa: BLE001 - no server: skip that line
        return None


def _drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/test", autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _main() -> None:
    settings = get_settings()
    holder = ContentHolder(settings.flows_dir, settings.locales_dir, settings.language_list)
    memory = await _turns(
        Conversations(holder, ConversationKeys(b"bench"), MemoryStateStore(), MemoryCounters())
    )
    print(f"store ({TURNS} turns, {PEOPLE} people at once)")
    print(f"  memory store (baseline): {memory:,.0f} turns/s")
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await _sql(holder, f"sqlite:///{Path(folder) / 'bench.db'}")
    print(f"  SQLite: {sqlite:,.0f} turns/s; {memory / sqlite:.1f}x slower than the baseline")
    url = _postgres_url()
    if url is None:
        print("  PostgreSQL: skipped (no server on 127.0.0.1:5432)")
        return
    try:
        postgres = await _sql(holder, url)
        ratio = memory / postgres
        print(f"  PostgreSQL: {postgres:,.0f} turns/s; {ratio:.1f}x slower than the baseline")
    finally:
        _drop(url)


def main() -> None:
    """Print turns per second per backend with ratios to the in-memory baseline."""
    asyncio.run(_main())


if __name__ == "__main__":
    main()
