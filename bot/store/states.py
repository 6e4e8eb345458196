"""Where conversation state lives: an interface, a SQL implementation and an in-memory double.

Keys are HMAC-SHA256 hex digests made by ``ConversationKeys``: the channel's raw id never reaches
this module. ``transaction`` loads, lets the caller compute, and saves with optimistic
concurrency: when another worker saved first, ``ConcurrentUpdate`` is raised and the caller
retries with the fresh state, so no answer is lost and none is applied twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Result
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.types import ConversationState
from bot.store.erasure import (
    note_erasure,
    overwrite_before_delete,
    overwrite_in,
    wipe_after_erasure,
)
from bot.store.models import ConversationRow

__all__ = [
    "ConcurrentUpdate",
    "ConversationKeys",
    "MemoryStateStore",
    "SqlStateStore",
    "StateStore",
    "TtlPolicy",
    "utcnow",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
Update = Callable[[ConversationState | None], Awaitable[tuple[ConversationState | None, T]]]
TtlPolicy = Callable[[ConversationState], dt.timedelta | None]
"""A shorter life for some states (a web conversation still on its first screen); ``None``: the
store's own time to live."""


def utcnow() -> dt.datetime:
    """Naive UTC now: what the DateTime columns hold on every backend."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ConcurrentUpdate(Exception):
    """Another worker changed the same conversation first; retry with its state."""


# The turn's statements, built once with bound parameters: building a statement and its cache
# key each time cost more CPU than running it (SQLAlchemy memoises both on the object).
_LOAD = select(ConversationRow.version, ConversationRow.data, ConversationRow.expires_at).where(
    ConversationRow.key == bindparam("k")
)
_LOAD_LOCKED = _LOAD.with_for_update()
_INSERT = insert(ConversationRow)
_UPDATE = (
    update(ConversationRow)
    .where(ConversationRow.key == bindparam("k"), ConversationRow.version == bindparam("v"))
    .values(
        version=bindparam("v_new"),
        data=bindparam("v_data"),
        updated_at=bindparam("v_updated_at"),
        expires_at=bindparam("v_expires_at"),
    )
)


def _prefixed(values: dict[str, Any]) -> dict[str, Any]:
    """``_UPDATE``'s parameter names (a bound parameter may not be named like its column)."""
    return {f"v_{name}": value for name, value in values.items()}


def rowcount(result: Result[Any]) -> int:
    """Rows an ``UPDATE`` or ``DELETE`` touched (every driver here reports it)."""
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class ConversationKeys:
    """Turns a channel's conversation id into an opaque key with a secret kept outside the DB."""

    secret: bytes

    def key(self, channel: str, conversation_id: str | int) -> str:
        """HMAC-SHA256(secret, "<channel>:<id>") as hex: stable, but useless without the secret."""
        message = f"{channel}:{conversation_id}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


class StateStore(Protocol):
    """Conversation state keyed by an opaque key, expiring after a time to live."""

    async def transaction(self, key: str, update: Update[T]) -> T:
        """Load the state, apply ``update``, save (or erase on ``None``); raise on a conflict."""

    async def erase(self, key: str) -> None:
        """Forget a conversation now."""

    async def peek(self, key: str) -> ConversationState | None:
        """The current state, read only: a page view must not create or extend anything."""

    async def purge_expired(self) -> int:
        """Erase every expired conversation; return how many."""


@dataclass
class SqlStateStore:
    """State in the ``conversation_state`` table (SQLite or PostgreSQL)."""

    sessions: async_sessionmaker[AsyncSession]
    ttl: dt.timedelta
    ttl_policy: TtlPolicy | None = None
    wipe_pending: bool = False
    """SQLite was busy at the last erasure: the next purge empties its log."""

    async def wipe(self) -> None:
        """Wipe what the database still keeps of erased rows (after the erasing commit).

        The erasure itself is already committed: a wipe that fails is tried again at the next
        purge, and never costs the person the answer to their ``/borrar``."""
        try:
            self.wipe_pending = not await wipe_after_erasure(self.sessions)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("erased rows not wiped from the files yet (%s)", type(exc).__name__)
            self.wipe_pending = True

    def row_values(self, state: ConversationState, now: dt.datetime) -> dict[str, Any]:
        """The columns a saved state writes besides its key and version."""
        return {
            "data": state.model_dump_json(),
            "updated_at": now,
            "expires_at": self._expiry(state, now),
        }

    def _expiry(self, state: ConversationState, now: dt.datetime) -> dt.datetime:
        special = self.ttl_policy(state) if self.ttl_policy is not None else None
        return now + (special if special is not None else self.ttl)

    async def transaction(self, key: str, update: Update[T]) -> T:
        """Load, update and save one conversation under optimistic concurrency."""
        async with self.sessions() as session:
            version, current = await self.load(session, key)
            new_state, result = await update(current)
            try:
                erased = await self.stage(session, key, version, new_state)
                await session.commit()
            except ConcurrentUpdate:
                await session.rollback()
                raise
        if erased:
            await self.wipe()
        return result

    async def peek(self, key: str) -> ConversationState | None:
        """The unexpired state, if any; nothing is written."""
        async with self.sessions() as session:
            row = await session.get(ConversationRow, key)
            if row is None or row.expires_at <= utcnow():
                return None
            return ConversationState.model_validate_json(row.data)

    async def load(
        self, session: AsyncSession, key: str, *, lock: bool = False
    ) -> tuple[int | None, ConversationState | None]:
        """``load_in`` in an asyncio session."""
        return await session.run_sync(lambda sync: self.load_in(sync.connection(), key, lock=lock))

    def load_in(
        self, connection: Connection, key: str, *, lock: bool = False
    ) -> tuple[int | None, ConversationState | None]:
        """The row's version (``None`` when absent) and its live state (``None`` when absent or
        expired), in ``connection``'s transaction.

        One Core ``SELECT`` by primary key: on this path, run for every update, the ORM's
        identity map and unit of work cost more CPU than the statement itself. ``lock`` takes
        the row lock on PostgreSQL (``FOR UPDATE``), so simultaneous turns of one person wait
        for each other instead of recomputing; SQLite's ``BEGIN IMMEDIATE`` already serialises
        writers. Synchronous, so that SQLite's turns run it on their writer's thread
        (``bot.store.writer``).
        """
        query = _LOAD_LOCKED if lock else _LOAD
        found = connection.execute(query, {"k": key}).first()
        if found is None:
            return None, None
        version, data, expires_at = found
        current = ConversationState.model_validate_json(data) if expires_at > utcnow() else None
        return int(version), current

    async def stage(
        self,
        session: AsyncSession,
        key: str,
        version: int | None,
        new_state: ConversationState | None,
    ) -> bool:
        """``stage_in`` in an asyncio session (and the compaction told of an erasure)."""
        erased, xid = await session.run_sync(
            lambda sync: self.stage_in(sync.connection(), key, version, new_state)
        )
        note_erasure(session.bind, xid)
        return erased

    def stage_in(
        self,
        connection: Connection,
        key: str,
        version: int | None,
        new_state: ConversationState | None,
    ) -> tuple[bool, int | None]:
        """Write the new state (or its erasure) if the row is still at ``version`` (``None``:
        still absent); the caller commits.

        Raises ``ConcurrentUpdate`` when another worker wrote the row since ``load`` (the
        version moved, or it inserted the same new key first). Returns whether a row was erased
        (after the commit the caller runs ``wipe``, so that the erased answers leave the
        database files too: SQLite's log, PostgreSQL's old row versions) and PostgreSQL's
        erasing transaction id for ``note_erasure``.
        """
        now = utcnow()
        if new_state is None:
            if version is None:
                return False, None
            # Built here, not for every turn: the expression costs more than a lookup.
            where = (ConversationRow.key == key) & (ConversationRow.version == version)
            _, xid = overwrite_in(connection, where)
            deleted = connection.execute(delete(ConversationRow).where(where))
            if rowcount(deleted) != 1:
                raise ConcurrentUpdate(key[:8])
            return True, xid
        values = self.row_values(new_state, now)
        if version is None:
            try:
                connection.execute(_INSERT, {"key": key, "version": 1, **values})
            except IntegrityError as exc:
                raise ConcurrentUpdate(key[:8]) from exc
            return False, None
        updated = connection.execute(
            _UPDATE, {"k": key, "v": version, "v_new": version + 1, **_prefixed(values)}
        )
        if rowcount(updated) != 1:
            raise ConcurrentUpdate(key[:8])
        return False, None

    async def erase(self, key: str) -> None:
        """Overwrite and delete the row now, then wipe what the database keeps of it."""
        where = ConversationRow.key == key
        async with self.sessions() as session:
            found = await overwrite_before_delete(session, where)
            await session.execute(delete(ConversationRow).where(where))
            await session.commit()
        if found:
            await self.wipe()

    async def purge_expired(self) -> int:
        """Overwrite and delete every expired row, then wipe what the database keeps of them."""
        where = ConversationRow.expires_at <= utcnow()
        async with self.sessions() as session:
            await overwrite_before_delete(session, where)
            result = await session.execute(delete(ConversationRow).where(where))
            await session.commit()
            purged = rowcount(result)
        if purged or self.wipe_pending:
            await self.wipe()
        return purged


@dataclass
class MemoryStateStore:
    """The same interface in a dict: for the terminal simulator and unit tests."""

    ttl: dt.timedelta = dt.timedelta(hours=72)
    ttl_policy: TtlPolicy | None = None

    def __post_init__(self) -> None:
        self.rows: dict[str, tuple[ConversationState, dt.datetime]] = {}

    async def transaction(self, key: str, update: Update[T]) -> T:
        """Load, update and save one conversation."""
        row = self.rows.get(key)
        current = row[0] if row and row[1] > utcnow() else None
        new_state, result = await update(current)
        if new_state is None:
            self.rows.pop(key, None)
        else:
            special = self.ttl_policy(new_state) if self.ttl_policy is not None else None
            self.rows[key] = (new_state, utcnow() + (special or self.ttl))
        return result

    async def peek(self, key: str) -> ConversationState | None:
        """The unexpired state, if any."""
        row = self.rows.get(key)
        return row[0] if row and row[1] > utcnow() else None

    async def erase(self, key: str) -> None:
        """Forget a conversation."""
        self.rows.pop(key, None)

    async def purge_expired(self) -> int:
        """Forget expired conversations."""
        now = utcnow()
        expired = [key for key, (_, expires) in self.rows.items() if expires <= now]
        for key in expired:
            del self.rows[key]
        return len(expired)
