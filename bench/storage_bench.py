"""Storage: bytes per stored conversation, and a turn's time with 100,000 conversations stored.

Baseline: the same turns on an empty database of the same backend, in the same run. PostgreSQL
is measured only where a server answers on 127.0.0.1:5432. ``python -m bench.storage_bench``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import secrets
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text

from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.engine.types import ConversationState, Event
from bot.settings import get_settings
from bot.store.counters import SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.models import ConversationRow
from bot.store.outbox import Mark, SqlOutbox
from bot.store.states import ConversationKeys, SqlStateStore, utcnow

STORED = 100_000
TURNS = 300


async def _fill(conversations: Conversations, count: int) -> None:
    outbox = conversations.outbox
    assert outbox is not None
    state = ConversationState(
        locale="es", node="asylum", history=["welcome", "main"], answers={"officials": "no"}
    ).model_dump_json()
    now = utcnow()
    rows = [
        {
            "key": secrets.token_hex(32),
            "data": state,
            "version": 1,
            "updated_at": now,
            "expires_at": now + dt.timedelta(hours=72),
        }
        for _ in range(count)
    ]
    async with outbox.sessions() as session:
        for start in range(0, count, 10_000):
            await session.execute(insert(ConversationRow), rows[start : start + 10_000])
        await session.commit()


async def _turns(conversations: Conversations) -> float:
    """Milliseconds per turn (dedupe mark, state, counter in one transaction), sequential."""
    events = [Event.typed("/menu", "es"), Event.pressed("b:main:asylum"), Event.pressed("nav:back")]
    start = time.perf_counter()
    for number in range(TURNS):
        await conversations.run(
            "telegram",
            f"person-{number % 50}",
            events[number % len(events)],
            mark=Mark("telegram", f"{time.time_ns()}-{number}"),
            render=lambda answer: [{"method": "sendMessage", "text": "x"}],
            single_in_response=True,
        )
    return (time.perf_counter() - start) / TURNS * 1000


async def _size(conversations: Conversations, backend: str, path: Path | None) -> int:
    outbox = conversations.outbox
    assert outbox is not None
    async with outbox.sessions() as session:
        if backend == "postgresql":
            value = await session.execute(
                text("SELECT pg_total_relation_size('conversation_state')")
            )
            return int(value.scalar_one())
    assert path is not None
    return path.stat().st_size + (
        path.with_name(path.name + "-wal").stat().st_size
        if path.with_name(path.name + "-wal").exists()
        else 0
    )


async def _measure(holder: ContentHolder, url: str, backend: str, path: Path | None) -> None:
    await asyncio.to_thread(migrate, url)
    engine = create_engine_for(url)
    sessions = session_factory(engine)
    states = SqlStateStore(sessions, dt.timedelta(hours=72))
    counters = SqlCounters(sessions)
    conversations = Conversations(
        holder, ConversationKeys(b"bench"), states, counters, outbox=SqlOutbox(states, counters)
    )
    empty_ms = await _turns(conversations)
    if path is not None:
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = await _size(conversations, backend, path)
    await _fill(conversations, STORED)
    if path is not None:  # fold the write-ahead log into the file before measuring it
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    after = await _size(conversations, backend, path)
    full_ms = await _turns(conversations)
    await engine.dispose()
    print(f"  {backend}: {(after - before) / STORED:,.0f} bytes per stored conversation")
    print(
        f"  {backend}: {full_ms:.2f} ms per turn with {STORED:,} stored; "
        f"{empty_ms:.2f} ms on an empty database (baseline): {full_ms / empty_ms:.2f}x"
    )


async def _main() -> None:
    settings = get_settings()
    holder = ContentHolder(settings.flows_dir, settings.locales_dir, settings.language_list)
    print(f"storage ({TURNS} sequential turns per figure)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        await _measure(holder, f"sqlite:///{path}", "sqlite", path)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.store_bench import _drop, _postgres_url

    url = _postgres_url()
    if url is None:
        print("  postgresql: skipped (no server on 127.0.0.1:5432)")
        return
    try:
        await _measure(holder, url, "postgresql", None)
    finally:
        _drop(url)


def main() -> None:
    """Print bytes per conversation and turn times per backend."""
    asyncio.run(_main())


if __name__ == "__main__":
    main()
