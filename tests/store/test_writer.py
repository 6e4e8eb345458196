"""SQLite's turn writer: a turn that ends early (the engine fails, the request is cancelled)
leaves nothing written and does not keep SQLite's write lock or the writer's one connection."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.engine.types import ConversationState
from bot.store.counters import SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.models import ConversationRow, DeliveryRow
from bot.store.outbox import Mark, SqlOutbox
from bot.store.states import SqlStateStore
from bot.store.writer import SqliteWriter

KEY = "w" * 64


@pytest.fixture
async def outbox(tmp_path: Path) -> AsyncIterator[SqlOutbox]:
    url = f"sqlite:///{tmp_path / 'writer.db'}"
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
