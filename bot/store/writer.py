"""SQLite's one writer: a turn's statements on one dedicated thread, in two hops.

Why: through aiosqlite every statement is three or four hops between the event loop and
aiosqlite's thread (open a cursor, execute, fetch, close), about nineteen per turn, and each hop
is a wake-up of a thread that must take the GIL back. SQLite runs one writer at a time anyway,
so the turns of this process go through one thread that holds one synchronous connection: one
hop opens the transaction and reads the state, the engine runs on the event loop, and one hop
writes, commits and closes. PostgreSQL keeps the asyncio driver (``SqlOutbox`` runs the same
statements through ``AsyncConnection.run_sync``).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from bot.store.database import sqlite_writer_engine

__all__ = ["SqliteWriter"]

R = TypeVar("R")


@dataclass
class SqliteWriter:
    """Runs synchronous database work on one thread, in order."""

    engine: Engine
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer")
    )

    @classmethod
    def for_url(cls, url: str) -> SqliteWriter | None:
        """A writer for a SQLite database; ``None`` for any other."""
        engine = sqlite_writer_engine(url)
        return cls(engine) if engine is not None else None

    async def call(self, work: Callable[..., R], *args: Any) -> R:
        """Run ``work(*args)`` on the writer's thread and wait for it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(work, *args))

    async def close(self) -> None:
        """Close the connection on its thread, then stop the thread."""
        await self.call(self.engine.dispose)
        self.executor.shutdown(wait=True)
