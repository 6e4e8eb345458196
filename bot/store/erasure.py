"""Erasure that reaches the disk, not only the row.

Why: after ``/borrar`` the person's screener answers stayed in SQLite's write-ahead log (two
copies) until a checkpoint, and in PostgreSQL's table files until vacuum.

- **SQLite** runs with ``PRAGMA secure_delete=ON`` (set on every connection in
  ``bot.store.database``): deleted content is overwritten with zeros in its page. After an
  erasure, ``PRAGMA wal_checkpoint(TRUNCATE)`` copies the zeroed pages into the main file and
  empties the write-ahead log, which held the older copies of those pages. A checkpoint that
  finds the database busy is tried again by the next purge (every ``PURGE_EVERY``).
- **PostgreSQL** never changes a row in place: an update writes a new version of the row and
  leaves the old one in the table file, and plain ``VACUUM`` only marks that space free for reuse
  (the bytes stay in the file until a new row happens to land there). So the erased rows'
  ``data`` is first overwritten with filler of the same length (the version that is deleted
  holds nothing), and after the delete ``VACUUM FULL conversation_state`` rewrites the table into
  a new file (the old one is truncated to zero bytes): in the background, at most once every
  ``COMPACT_EVERY_SECONDS``, giving up after ``COMPACT_LOCK_TIMEOUT`` rather than making people
  wait, in which case the next erasure or purge tries again. README.md ("Erasure") says what
  stays outside the table files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.store.models import ConversationRow

__all__ = [
    "COMPACT_EVERY_SECONDS",
    "compact",
    "compaction_done",
    "finish_erasures",
    "note_erasure",
    "overwrite_before_delete",
    "overwrite_in",
    "wipe_after_erasure",
]

log = logging.getLogger(__name__)

COMPACT_EVERY_SECONDS = 60.0
COMPACT_WAIT_ROUNDS = 50
COMPACT_WAIT_SECONDS = 0.1
COMPACT_LOCK_TIMEOUT = "2s"
"""``VACUUM FULL`` locks the table; waiting longer would make people wait behind it."""


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def overwrite_in(connection: Connection, where: ColumnElement[bool]) -> tuple[bool, int | None]:
    """On PostgreSQL, overwrite the matching rows' ``data`` before they are deleted.

    Returns whether any row matched (on SQLite, where ``secure_delete`` zeroes what a delete
    frees, only that is checked) and, on PostgreSQL, the erasing transaction's id: the
    compaction must wait until no older transaction can still see the erased row (``VACUUM
    FULL`` copies row versions that some transaction may still read); ``note_erasure`` tells
    it. Runs in the caller's transaction.
    """
    if connection.dialect.name != "postgresql":
        found = connection.execute(select(ConversationRow.key).where(where).limit(1))
        return found.first() is not None, None
    result = connection.execute(
        update(ConversationRow)
        .where(where)
        .values(data=func.repeat("0", func.length(ConversationRow.data)))
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        return False, None
    xid = connection.execute(text("SELECT pg_current_xact_id()::text")).scalar_one()
    return True, int(xid)


def note_erasure(bind: AsyncEngine | AsyncConnection | None, xid: int | None) -> None:
    """The compaction after an erasure waits past transaction ``xid`` (PostgreSQL only).

    ``bind`` is the erasing session's: the compaction is kept per engine, so a session bound
    to a single connection has none to tell."""
    if xid is not None and isinstance(bind, AsyncEngine):
        _compactor(bind).wait_past(xid)


async def overwrite_before_delete(session: AsyncSession, where: ColumnElement[bool]) -> bool:
    """``overwrite_in`` in an asyncio session (and the compaction told): whether rows matched."""
    found, xid = await session.run_sync(lambda sync: overwrite_in(sync.connection(), where))
    note_erasure(session.bind, xid)
    return found


async def wipe_after_erasure(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """After rows were erased: checkpoint SQLite's log (now), compact PostgreSQL's table (soon).

    Returns ``False`` when SQLite was too busy to empty its log; the next purge tries again.
    """
    async with sessions() as session:
        dialect = _dialect(session)
        engine = session.bind
    if dialect == "sqlite" and isinstance(engine, AsyncEngine):
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = result.first()
        if busy is not None and busy[0]:
            log.info("erased rows: the database was busy; the log is emptied at next purge")
            return False
        return True
    if dialect == "postgresql" and isinstance(engine, AsyncEngine):
        _compactor(engine).request()
    return True


@dataclass
class _Compactor:
    """One background ``VACUUM FULL`` at a time per engine, at most once per interval."""

    engine: AsyncEngine
    last: float = float("-inf")
    again: bool = False
    task: asyncio.Task[None] | None = None
    xid: int = 0
    """The newest erasing transaction; compaction waits until every older one has ended."""

    def wait_past(self, xid: int) -> None:
        self.xid = max(self.xid, xid)

    def request(self) -> None:
        if self.task is not None and not self.task.done():
            self.again = True
            return
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            wait = self.last + COMPACT_EVERY_SECONDS - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.again = False
            self.last = time.monotonic()
            if not await compact(self.engine, self.xid):
                self.again = True
            if not self.again:
                return


_compactors: dict[int, _Compactor] = {}


def _compactor(engine: AsyncEngine) -> _Compactor:
    found = _compactors.get(id(engine))
    if found is None or found.engine is not engine:
        found = _compactors[id(engine)] = _Compactor(engine)
    return found


_OLDER_STILL_RUNNING = text(
    """SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint <= :xid
       OR EXISTS (SELECT 1 FROM pg_stat_activity
                  WHERE pid <> pg_backend_pid() AND datname = current_database()
                    AND backend_xmin IS NOT NULL
                    AND backend_xmin::text::bigint <= :xid % 4294967296)"""
)


async def compact(engine: AsyncEngine, after_xid: int = 0) -> bool:
    """``VACUUM FULL conversation_state`` once no transaction older than ``after_xid`` runs
    (outside a transaction); ``False`` when it gave up or had to go on without waiting."""
    waited_enough = True
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for _ in range(COMPACT_WAIT_ROUNDS):
                older = await autocommit.execute(_OLDER_STILL_RUNNING, {"xid": after_xid})
                if not older.scalar_one():
                    break
                await asyncio.sleep(COMPACT_WAIT_SECONDS)
            else:
                waited_enough = False
            await autocommit.execute(text(f"SET lock_timeout = '{COMPACT_LOCK_TIMEOUT}'"))
            await autocommit.execute(text("VACUUM FULL conversation_state"))
    except Exception as exc:  # noqa: BLE001 - the rows are deleted; compaction is tried again
        log.warning("table compaction after erasure failed: %s", type(exc).__name__)
        return False
    log.info("conversation table rewritten after an erasure (waited: %s)", waited_enough)
    return waited_enough


async def finish_erasures(engine: AsyncEngine) -> None:
    """Stop this engine's pending compaction (the service is stopping; the next start purges)."""
    found = _compactors.pop(id(engine), None)
    if found is not None and found.task is not None and not found.task.done():
        found.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await found.task


async def compaction_done(engine: AsyncEngine) -> None:
    """Wait for this engine's pending compaction, if any (tests use it)."""
    found = _compactors.get(id(engine))
    while found is not None and found.task is not None and not found.task.done():
        await asyncio.shield(found.task)
