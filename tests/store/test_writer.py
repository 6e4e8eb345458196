"""SQLite's turn writer: a turn that ends early (the engine fails, the request is cancelled)
leaves nothing written and does not keep SQLite's write lock or the writer's one connection; a
turn runs on the event loop unless another connection holds the write lock, and then waits for
it on the writer's thread while the loop goes on."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.engine.types import ConversationState
from bot.store.counters import SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.models import ConversationRow, DeliveryRow
from bot.store.outbox import Mark, SqlOutbox
from bot.store.states import SqlStateStore
from bot.store.writer import CHECKPOINT_EVERY, SqliteWriter

KEY = "w" * 64
DATABASE = "writer.db"


@pytest.fixture
async def outbox(tmp_path: Path) -> AsyncIterator[SqlOutbox]:
    url = f"sqlite:///{tmp_path / DATABASE}"
    await asyncio.to_thread(migrate, url)
    engine = create_engine_for(url)
    sessions = session_factory(engine)
    writer = SqliteWriter.for_url(url)
    assert writer is not None
    states = SqlStateStore(sessions, dt.timedelta(hours=1))
    yield SqlOutbox(states, SqlCounters(sessions), writer=writer)
    await writer.close()
    await engine.dispose()


async def _go_to(node: str, state: ConversationState | None) -> tuple[ConversationState, str]:
    return (state or ConversationState(locale="es")).model_copy(update={"node": node}), node


async def _saved(outbox: SqlOutbox) -> tuple[list[str], int]:
    """The saved conversations' data and the number of dedupe marks, read by another
    connection (it needs the write lock free only to write; reading shows what committed)."""
    async with outbox.sessions() as session:
        data = [row[0] for row in await session.execute(select(ConversationRow.data))]
        marks = (await session.execute(select(func.count()).select_from(DeliveryRow))).scalar()
        await session.commit()
    return data, int(marks or 0)


async def _turn(outbox: SqlOutbox, node: str, update_id: str) -> str | None:
    async def update(state: ConversationState | None) -> tuple[ConversationState, str]:
        return await _go_to(node, state)

    outcome = await outbox.run_turn(
        KEY, update, count=lambda _: None, mark=Mark("telegram", update_id)
    )
    return outcome.result


async def test_a_failing_engine_writes_nothing_and_frees_the_writer(outbox: SqlOutbox) -> None:
    async def broken(state: ConversationState | None) -> tuple[ConversationState, str]:
        raise RuntimeError("the engine failed")

    with pytest.raises(RuntimeError):
        await outbox.run_turn(KEY, broken, count=lambda _: None, mark=Mark("telegram", "1"))
    assert await _saved(outbox) == ([], 0), "nothing of the failed turn was written"
    assert await _turn(outbox, "asylum", "2") == "asylum", "the next turn gets the writer"
    data, marks = await _saved(outbox)
    assert len(data) == 1 and '"asylum"' in data[0] and marks == 1


async def test_a_turn_cancelled_mid_engine_writes_nothing_and_frees_the_writer(
    outbox: SqlOutbox,
) -> None:
    entered = asyncio.Event()
    never = asyncio.Event()

    async def stuck(state: ConversationState | None) -> tuple[ConversationState, str]:
        entered.set()
        await never.wait()
        return await _go_to("lost", state)

    task = asyncio.create_task(
        outbox.run_turn(KEY, stuck, count=lambda _: None, mark=Mark("telegram", "1"))
    )
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await _turn(outbox, "asylum", "2") == "asylum", "the next turn gets the writer"
    data, marks = await _saved(outbox)
    assert len(data) == 1 and '"asylum"' in data[0] and '"lost"' not in data[0]
    assert marks == 1, "only the finished turn's update is marked"


def _count_thread_calls(outbox: SqlOutbox, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the jobs the turns hand to the writer's thread."""
    writer = outbox.writer
    assert writer is not None
    calls: list[str] = []
    call = writer.call

    async def counted(work: Any, *args: Any) -> Any:
        calls.append(getattr(work, "__name__", "?"))
        return await call(work, *args)

    monkeypatch.setattr(writer, "call", counted)
    return calls


async def test_a_turn_runs_on_the_event_loop_when_sqlite_is_free(
    outbox: SqlOutbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_thread_calls(outbox, monkeypatch)
    assert await _turn(outbox, "asylum", "1") == "asylum"
    assert calls == [], "no hop to the writer's thread"
    data, marks = await _saved(outbox)
    assert len(data) == 1 and '"asylum"' in data[0] and marks == 1


async def test_a_turn_that_finds_sqlite_locked_waits_on_the_writer_thread_not_on_the_loop(
    outbox: SqlOutbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _turn(outbox, "menu", "1") == "menu"
    writer = outbox.writer
    loop_db = writer.loop_db() if writer is not None else None
    assert loop_db is not None
    (wait,) = loop_db.execute("PRAGMA busy_timeout").fetchone()
    assert wait == 0, "the loop's connection never waits for a lock: it hands the turn over"
    calls = _count_thread_calls(outbox, monkeypatch)
    blocker = sqlite3.connect(tmp_path / DATABASE, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process's writer, say
    try:
        task = asyncio.create_task(_turn(outbox, "asylum", "2"))
        ticks = 0
        for _ in range(20):  # the loop goes on while the turn waits for the lock
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 20 and not task.done(), "the turn waits, and not on the event loop"
        assert calls == ["_open"], "it waits on the writer's thread"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert await task == "asylum", "it commits once the lock is free"
    assert calls == ["_open", "_finish"]
    data, marks = await _saved(outbox)
    assert len(data) == 1 and '"asylum"' in data[0] and marks == 2, "turn and mark, once"
    assert await _turn(outbox, "menu", "3") == "menu"
    assert calls == ["_open", "_finish"], "the next turn is back on the loop"


async def test_the_writer_thread_checkpoints_for_the_loop(outbox: SqlOutbox) -> None:
    """The loop's connection never checkpoints (an fsync would stop the loop); the writer's
    thread does, every CHECKPOINT_EVERY turns, and the log is emptied."""
    writer = outbox.writer
    assert writer is not None
    for number in range(CHECKPOINT_EVERY):
        await _turn(outbox, "asylum" if number % 2 else "menu", str(number))
    await writer.call(lambda: None)  # after the checkpoint queued before it
    with writer.engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        busy, pages, copied = autocommit.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    assert busy == 0 and pages == copied, "everything in the log is in the database file"


async def test_rows_written_on_the_loop_are_stored_as_the_threads_are(
    outbox: SqlOutbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop writes through sqlite3 itself (bot.store.loopsql), the thread through
    SQLAlchemy: the same columns in the same storage formats, read back the same."""

    def two_messages(_: str) -> list[dict[str, Any]]:
        return [{"method": "sendMessage", "text": "a"}, {"method": "sendMessage", "text": "b"}]

    day = dt.date(2026, 12, 1)
    for key, update_id in (("a" * 64, "1"), ("b" * 64, "2")):

        async def update(state: ConversationState | None) -> tuple[ConversationState, str]:
            return await _go_to("asylum", state)

        await outbox.run_turn(
            key,
            update,
            count=lambda _: (day, "telegram", "es", "asylum"),
            mark=Mark("telegram", update_id),
            render=two_messages,
        )
        writer = outbox.writer
        assert writer is not None
        monkeypatch.setattr(writer, "loop_db", lambda: None)  # the second on the thread
    raw = sqlite3.connect(tmp_path / DATABASE)
    states = raw.execute(
        'SELECT "key", version, data, updated_at, expires_at FROM conversation_state ORDER BY "key"'
    ).fetchall()
    marks = raw.execute("SELECT * FROM delivery ORDER BY update_id").fetchall()
    counted = raw.execute("SELECT * FROM counter").fetchall()
    raw.close()
    (loop_state, thread_state), (loop_mark, thread_mark) = states, marks
    shape = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
    for loop_row, thread_row in ((loop_state, thread_state), (loop_mark, thread_mark)):
        assert len(loop_row) == len(thread_row)
        for loop_value, thread_value in zip(loop_row[1:], thread_row[1:], strict=True):
            assert type(loop_value) is type(thread_value)
            if isinstance(loop_value, str) and shape.match(thread_value):
                assert shape.match(loop_value), "DateTime as SQLAlchemy stores it"
    assert loop_state[1:3] == thread_state[1:3] and loop_mark[3:5] == thread_mark[3:5]
    assert counted == [("2026-12-01", "telegram", "es", "asylum", 2)], "one counter, both turns"
    async with outbox.sessions() as session:
        read = (await session.execute(select(DeliveryRow.lease_until))).scalars().all()
        await session.commit()
    assert all(isinstance(value, dt.datetime) for value in read), "and SQLAlchemy reads both"
