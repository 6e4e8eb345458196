"""SQLite's one writer: a turn's statements on one dedicated thread, in two hops.

Why: through aiosqlite every statement is three or four hops between the event loop and
aiosqlite's thread (open a cursor, execute, fetch, close), about nineteen per turn, and each hop
is a wake-up of a thread that must take the GIL back. SQLite runs one writer at a time anyway,
so the turns of this process go through one thread that holds one synchronous connection: one
hop opens the transaction and reads the state, the engine runs on the event loop, and one hop
writes, commits and closes. PostgreSQL keeps the asyncio driver (``SqlOutbox`` runs the same
statements through ``AsyncConnection.run_sync``).

Faster still, a turn first runs on the event loop itself (``loop_engine``, ``SqlOutbox``): two
hops to a thread and back cost more than the statements. That connection never waits: SQLite's
busy timeout is 0, so when another process or connection holds the write lock its
``BEGIN IMMEDIATE`` fails at once and the turn is run here, on the thread, which waits as it
always did. It never checkpoints either (a checkpoint calls ``fsync``): every
``CHECKPOINT_EVERY`` turns committed on the loop, this thread runs a passive checkpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import PoolProxiedConnection

from bot.store.database import sqlite_writer_engine

__all__ = ["SqliteWriter"]

R = TypeVar("R")

CHECKPOINT_EVERY = 200
"""Turns committed on the event loop between two checkpoints (SQLite's own default is after
1,000 pages of log, a few hundred turns)."""


@dataclass
class SqliteWriter:
    """Runs synchronous database work on one thread, in order."""

    engine: Engine
    loop_engine: Engine | None = None
    """The event loop's own connection to the same database (busy timeout 0, no checkpoints)."""
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer")
    )
    _commits: int = 0
    _loop_connection: PoolProxiedConnection | None = None

    @classmethod
    def for_url(cls, url: str) -> SqliteWriter | None:
        """A writer for a SQLite database; ``None`` for any other."""
        engine = sqlite_writer_engine(url)
        if engine is None:
            return None
        writer = cls(engine, sqlite_writer_engine(url, busy_seconds=0))
        # Both connections are opened now and kept, the loop's first, then the thread's (not
        # first when a turn finds SQLite busy): a first opening sets the journal mode, which
        # can fail at once while another connection writes or opens. Should one fail, the
        # first turn that needs it opens it.
        with contextlib.suppress(OperationalError, sqlite3.OperationalError):
            writer.loop_db()
        writer.executor.submit(writer._open_now)
        return writer

    def _open_now(self) -> None:
        self.engine.connect().close()

    def loop_db(self) -> sqlite3.Connection | None:
        """The event loop's ``sqlite3`` connection, opened on first use and kept (the turns
        take it one at a time, under ``SqlOutbox``'s lock); ``None`` without ``loop_engine``."""
        if self.loop_engine is None:
            return None
        if self._loop_connection is None:
            self._loop_connection = self.loop_engine.raw_connection()
        connection = self._loop_connection.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        return connection

    def committed_on_loop(self) -> None:
        """Count a turn committed on the loop; every ``CHECKPOINT_EVERY``, checkpoint here.

        Called with the turns' lock held (``SqlOutbox``): no turn of the thread holds its one
        connection between two hops then, and the checkpoint runs before the next one's."""
        self._commits += 1
        if self._commits >= CHECKPOINT_EVERY:
            self._commits = 0
            self.executor.submit(self._checkpoint)

    def _checkpoint(self) -> None:
        # PASSIVE never waits for readers or writers: what it cannot copy now, a later one does.
        with self.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    async def call(self, work: Callable[..., R], *args: Any) -> R:
        """Run ``work(*args)`` on the writer's thread and wait for it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(work, *args))

    async def close(self) -> None:
        """Close the connections (the thread's on its thread), then stop the thread."""
        if self._loop_connection is not None:
            self._loop_connection.close()
            self._loop_connection = None
        if self.loop_engine is not None:
            self.loop_engine.dispose()
        await self.call(self.engine.dispose)
        self.executor.shutdown(wait=True)
