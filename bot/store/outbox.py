"""One turn in one transaction: state, counter, and the update's dedupe mark with its outbox.

A webhook update is answered at least once in and exactly once in effect: its platform id is
remembered in the ``delivery`` table (ids only, for ``DEDUPE_WINDOW``) in the same transaction as
the conversation's new state and the screen counter, together with the rendered answer still to
send (channel payloads with no recipient). Sending records its progress here; a redelivery after
a crash or a failed send finds the mark and sends only what is missing, and a redelivery of an
answered update finds nothing to do.

A lease (``lease_until``) keeps two workers from sending the same outbox at once: the one that
ran the turn holds it; a redelivery takes it only when it has lapsed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Insert, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.types import ConversationState
from bot.store.counters import CounterKey, SqlCounters
from bot.store.erasure import note_erasure
from bot.store.loopsql import (
    INSERT_MARK,
    INSERT_STATE,
    SELECT_STATE,
    UPDATE_STATE,
    UPSERT_COUNTER,
    is_busy,
    sql_date,
    sql_datetime,
)
from bot.store.models import DeliveryRow
from bot.store.states import ConcurrentUpdate, SqlStateStore, Update, rowcount, utcnow
from bot.store.writer import SqliteWriter

__all__ = [
    "DEDUPE_WINDOW",
    "LEASE",
    "Mark",
    "OutgoingMessage",
    "Pending",
    "SqlOutbox",
    "TurnOutcome",
]

T = TypeVar("T")

OutgoingMessage = dict[str, Any]
"""One channel API payload without the recipient (JSON-serialisable)."""

DEDUPE_WINDOW = dt.timedelta(hours=24)
"""How long an update id is remembered. Telegram stops redelivering well within a day."""
LEASE = dt.timedelta(seconds=30)
"""How long the worker sending an outbox keeps it (``DELIVERY_LEASE_SECONDS``); renewed with
every message sent, so only a worker that died holds it to the end."""


@dataclass(frozen=True)
class Mark:
    """An update's identity on its platform: never a person's."""

    channel: str
    update_id: str


@dataclass
class Pending:
    """What is left of an update's answer, and whether this caller may send it."""

    messages: list[OutgoingMessage]
    sent: int
    fresh: bool
    """True when this call ran the turn; False for a redelivery."""
    owned: bool
    """True when this caller holds the lease (or nothing is left to send)."""

    @property
    def done(self) -> bool:
        """Nothing left to send."""
        return self.sent >= len(self.messages)

    @property
    def remaining(self) -> list[tuple[int, OutgoingMessage]]:
        """The messages still to send, with their positions."""
        return list(enumerate(self.messages))[self.sent :]


@dataclass
class TurnOutcome(Generic[T]):
    """The engine's result (``None`` for a redelivery, which runs no turn) and the outbox."""

    result: T | None
    pending: Pending | None


@dataclass
class SqlOutbox:
    """Turns, dedupe marks and outboxes in the helpline's database."""

    states: SqlStateStore
    counters: SqlCounters | None = None
    window: dt.timedelta = DEDUPE_WINDOW
    lease: dt.timedelta = LEASE
    # Shared by every copy made with ``dataclasses.replace`` (the web chat's store differs only
    # in its expiry policy), so this process still has one SQLite writer queue.
    _writer: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    writer: SqliteWriter | None = None
    """SQLite: the thread that runs the turns' statements (``bot.store.writer``)."""

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The state store's sessions (one database for everything)."""
        return self.states.sessions

    def _serial(self, session: AsyncSession) -> asyncio.Lock | None:
        """SQLite has one writer: queue this process's turns here instead of in SQLite's busy
        handler, which sleeps up to 100 ms between tries."""
        if session.bind is not None and session.bind.dialect.name != "sqlite":
            return None
        return self._writer

    async def run_turn(
        self,
        key: str,
        update_state: Update[T],
        *,
        count: Callable[[T], CounterKey | None],
        mark: Mark | None = None,
        render: Callable[[T], list[OutgoingMessage]] | None = None,
        single_in_response: bool = False,
    ) -> TurnOutcome[T]:
        """Run one turn in one transaction.

        With a ``mark``: when the update was seen before, run nothing and return its outbox
        (claimed when its lease is free); otherwise save the state, the counter and the mark with
        ``render(result)`` as the outbox. With ``single_in_response`` an answer of exactly one
        message counts as delivered when the transaction commits: it goes back in the webhook's
        response body, so the commonest turn writes once and calls nobody.
        Raises ``ConcurrentUpdate`` when another worker won a race; the caller runs it again.
        """
        turn = _Turn(key, update_state, count, mark, render, single_in_response, utcnow())
        if self.writer is not None:
            async with self._writer:
                done = await self._on_loop(self.writer, turn)
                outcome, erased = done or await self._on_writer(self.writer, turn)
        else:
            async with self.sessions() as session:
                lock = self._serial(session)
                if lock is not None:
                    await lock.acquire()
                try:
                    outcome, erased = await self._in_session(session, turn)
                finally:
                    if lock is not None:
                        lock.release()
        if erased:
            await self.states.wipe()
        return outcome

    async def _on_loop(
        self, writer: SqliteWriter, turn: _Turn[T]
    ) -> tuple[TurnOutcome[T], bool] | None:
        """SQLite, first try: the whole turn on the event loop, in ``sqlite3`` itself
        (``bot.store.loopsql``), on a connection that never waits (``bot.store.writer``).

        ``None`` when SQLite was busy (another process or connection writing), or for what the
        thread does better (an erasure, a redelivered update): nothing was written, and the
        caller runs the turn on the writer's thread, which waits for the lock. The engine may
        then run twice; it has no effect besides its result. Whatever ends this coroutine early
        (a failure, a cancellation) rolls back here, which frees SQLite's write lock at once."""
        try:
            db = writer.loop_db()
        except sqlite3.Error as exc:  # opening it, the pool raises the driver's own errors
            if is_busy(exc):  # a first opening sets the journal mode, which may find it busy
                return None
            raise DBAPIError.instance(None, None, exc, sqlite3.Error) from exc
        except DBAPIError as exc:
            if is_busy(exc.orig):
                return None
            raise
        if db is None:
            return None
        try:
            db.execute("BEGIN IMMEDIATE")
            done = await self._turn_in(db, turn)
            db.execute("ROLLBACK" if done is None else "COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                if is_busy(exc):
                    return None
                raise DBAPIError.instance(None, None, exc, sqlite3.Error) from exc
            raise
        if done is not None:
            writer.committed_on_loop()
        return done

    async def _turn_in(
        self, db: sqlite3.Connection, turn: _Turn[T]
    ) -> tuple[TurnOutcome[T], bool] | None:
        """The statements of ``load_in`` and ``_write`` in ``db``'s open transaction; ``None``
        for an erasure or a redelivery (the caller rolls back and hands the turn on)."""
        key = turn.key
        row = db.execute(SELECT_STATE, (key,)).fetchone()
        version: int | None = None
        current: ConversationState | None = None
        if row is not None:
            version = int(row[0])
            if dt.datetime.fromisoformat(row[2]) > utcnow():
                current = ConversationState.model_validate_json(row[1])
        computed = await turn.compute(current)
        state = computed.new_state
        if state is not None:
            values = self.states.row_values(state, utcnow())
            data, updated = values["data"], sql_datetime(values["updated_at"])
            expires = sql_datetime(values["expires_at"])
            if version is None:
                try:
                    db.execute(INSERT_STATE, (key, data, updated, expires))
                except sqlite3.IntegrityError as exc:
                    raise ConcurrentUpdate(key[:8]) from exc
            elif (
                db.execute(
                    UPDATE_STATE, (version + 1, data, updated, expires, key, version)
                ).rowcount
                != 1
            ):
                raise ConcurrentUpdate(key[:8])
        elif version is not None:
            return None  # an erasure: the thread overwrites and deletes (bot.store.erasure)
        pending: Pending | None = None
        if turn.mark is not None:
            mark, pending = self._mark_values(turn, computed.messages)
            inserted = db.execute(
                INSERT_MARK,
                (
                    mark["m_channel"],
                    mark["m_update_id"],
                    sql_datetime(mark["m_created_at"]),
                    mark["m_outbox"],
                    mark["m_sent"],
                    sql_datetime(mark["m_lease_until"]),
                ),
            )
            if inserted.fetchone() is None:
                return None  # a redelivery: the thread reads and claims its outbox
        if computed.counter is not None and self.counters is not None:
            day, channel, locale, node = computed.counter
            db.execute(UPSERT_COUNTER, (sql_date(day), channel, locale, node, 1))
        return TurnOutcome(computed.result, pending), False

    async def _on_writer(self, writer: SqliteWriter, turn: _Turn[T]) -> tuple[TurnOutcome[T], bool]:
        """SQLite: read on the writer's thread, run the engine here, write and commit there.

        The connection between the two hops is kept in ``held``; whatever ends this coroutine
        early (a failure, a cancellation, even while the first hop still runs), the writer's
        next job closes it, which rolls back and frees SQLite's write lock (the thread runs its
        jobs in order)."""
        held: list[Connection] = []
        finished = False
        try:
            version, current = await writer.call(self._open, held, turn.key)
            computed = await turn.compute(current)
            outcome = await writer.call(self._finish, held, turn, version, computed)
            finished = True
            return outcome
        finally:
            if not finished:
                writer.executor.submit(_close_all, held)

    def _open(self, held: list[Connection], key: str) -> tuple[int | None, Any]:
        assert self.writer is not None
        connection = self.writer.engine.connect()
        held.append(connection)
        return self.states.load_in(connection, key, lock=True)

    def _finish(
        self, held: list[Connection], turn: _Turn[T], version: int | None, computed: _Computed[T]
    ) -> tuple[TurnOutcome[T], bool]:
        try:
            return self._commit(held[0], turn, version, computed)
        finally:
            _close_all(held)

    def _commit(
        self, connection: Connection, turn: _Turn[T], version: int | None, computed: _Computed[T]
    ) -> tuple[TurnOutcome[T], bool]:
        """Write the turn and commit (or, for a redelivery, roll it back and claim its outbox);
        the caller closes the connection."""
        try:
            written = self._write(connection, turn, version, computed)
            if written is None:
                connection.rollback()
                assert turn.mark is not None
                claimed = self._redelivered(connection, turn.mark, turn.now)
                connection.commit()
                return TurnOutcome(None, claimed), False
            connection.commit()
        except (ConcurrentUpdate, IntegrityError) as exc:
            connection.rollback()
            raise ConcurrentUpdate(turn.key[:8]) from exc
        pending, erased, _ = written
        return TurnOutcome(computed.result, pending), erased

    async def _in_session(
        self, session: AsyncSession, turn: _Turn[T]
    ) -> tuple[TurnOutcome[T], bool]:
        """PostgreSQL (and SQLite without a writer): the same statements through the asyncio
        driver, in ``session``."""
        version, current = await session.run_sync(
            lambda sync: self.states.load_in(sync.connection(), turn.key, lock=True)
        )
        computed = await turn.compute(current)
        try:
            written = await session.run_sync(
                lambda sync: self._write(sync.connection(), turn, version, computed)
            )
            if written is None:
                await session.rollback()
                mark = turn.mark
                assert mark is not None
                claimed = await session.run_sync(
                    lambda sync: self._redelivered(sync.connection(), mark, turn.now)
                )
                await session.commit()
                return TurnOutcome(None, claimed), False
            await session.commit()
        except (ConcurrentUpdate, IntegrityError) as exc:
            await session.rollback()
            raise ConcurrentUpdate(turn.key[:8]) from exc
        pending, erased, xid = written
        note_erasure(session.bind, xid)
        return TurnOutcome(computed.result, pending), erased

    def _write(
        self, connection: Connection, turn: _Turn[T], version: int | None, computed: _Computed[T]
    ) -> tuple[Pending | None, bool, int | None] | None:
        """The turn's writes, fewest first: the state, the mark, the counter; ``None`` when the
        mark was there already (a redelivery: the caller rolls back and reads its outbox).

        The mark is inserted with ``ON CONFLICT DO NOTHING`` instead of looked up first: a
        fresh update (nearly every one) costs no extra ``SELECT``; a redelivery is found when
        the insert adds nothing, and its turn is rolled back unseen (the engine has no other
        effect). On PostgreSQL a second worker's insert of the same id waits for the first
        one's commit, so exactly one of them runs the turn.
        """
        erased, xid = self.states.stage_in(connection, turn.key, version, computed.new_state)
        pending: Pending | None = None
        if turn.mark is not None:
            values, pending = self._mark_values(turn, computed.messages)
            inserted = connection.execute(_mark_insert(connection.dialect.name), values)
            if inserted.first() is None:
                return None
        if computed.counter is not None and self.counters is not None:
            self.counters.add_in(connection, computed.counter)
        return pending, erased, xid

    def _mark_values(
        self, turn: _Turn[T], messages: list[OutgoingMessage]
    ) -> tuple[dict[str, Any], Pending]:
        """The dedupe mark's row (``_mark_insert``'s parameters) and what is left to send."""
        assert turn.mark is not None
        done = len(messages) == 0 or (turn.single_in_response and len(messages) == 1)
        sent = len(messages) if done else 0
        values = {
            "m_channel": turn.mark.channel,
            "m_update_id": turn.mark.update_id,
            "m_created_at": turn.now,
            "m_outbox": None if done else json.dumps(messages),
            "m_sent": sent,
            "m_lease_until": None if done else turn.now + self.lease,
        }
        return values, Pending(messages, sent, fresh=True, owned=True)

    def _redelivered(self, connection: Connection, mark: Mark, now: dt.datetime) -> Pending:
        """A redelivered update: its outbox, leased to us when nobody else is sending it."""
        this = (DeliveryRow.channel == mark.channel) & (DeliveryRow.update_id == mark.update_id)
        found = connection.execute(
            select(DeliveryRow.outbox, DeliveryRow.sent, DeliveryRow.lease_until).where(this)
        ).first()
        if found is None or found.outbox is None:
            return Pending([], 0, fresh=False, owned=True)
        messages: list[OutgoingMessage] = json.loads(found.outbox)
        if found.lease_until is not None and found.lease_until > now:
            return Pending(messages, found.sent, fresh=False, owned=False)
        connection.execute(update(DeliveryRow).where(this).values(lease_until=now + self.lease))
        return Pending(messages, found.sent, fresh=False, owned=True)

    async def record_sent(self, mark: Mark, sent: int, total: int) -> None:
        """``sent`` messages of the outbox went out; when all did, forget the outbox."""
        values: dict[str, Any] = {"sent": sent, "lease_until": utcnow() + self.lease}
        if sent >= total:
            values.update(outbox=None, lease_until=None)
        await self._update(mark, values)

    async def release(self, mark: Mark) -> None:
        """Give the lease back after a failed send, so the redelivery can take it at once."""
        await self._update(mark, {"lease_until": None})

    async def _update(self, mark: Mark, values: dict[str, Any]) -> None:
        async with self.sessions() as session:
            lock = self._serial(session)
            if lock is not None:
                await lock.acquire()
            try:
                await session.execute(
                    update(DeliveryRow)
                    .where(
                        DeliveryRow.channel == mark.channel,
                        DeliveryRow.update_id == mark.update_id,
                    )
                    .values(**values)
                )
                await session.commit()
            finally:
                if lock is not None:
                    lock.release()

    async def purge_expired(self) -> int:
        """Forget update ids older than the window (with any outbox nobody came back for)."""
        async with self.sessions() as session:
            result = await session.execute(
                delete(DeliveryRow).where(DeliveryRow.created_at <= utcnow() - self.window)
            )
            await session.commit()
            return rowcount(result)


@functools.cache
def _mark_insert(dialect: str) -> Insert:
    """``INSERT`` of a dedupe mark, ``ON CONFLICT DO NOTHING RETURNING``, built once per dialect
    (building a statement and its cache key for every turn cost more CPU than running it).
    RETURNING, not rowcount: psycopg reports -1 for an INSERT's rowcount."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    columns = ("channel", "update_id", "created_at", "outbox", "sent", "lease_until")
    return (
        insert(DeliveryRow)
        .values({name: bindparam(f"m_{name}") for name in columns})
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(DeliveryRow.sent)
    )


def _close_all(held: list[Connection]) -> None:
    """Close (and so roll back) the writer's connection of a turn that ended early."""
    while held:
        held.pop().close()


@dataclass
class _Computed(Generic[T]):
    """What the engine decided, before anything is written."""

    new_state: ConversationState | None
    result: T
    messages: list[OutgoingMessage]
    counter: CounterKey | None


@dataclass
class _Turn(Generic[T]):
    """One turn's inputs, handed between the event loop and the writer's thread."""

    key: str
    update_state: Update[T]
    count: Callable[[T], CounterKey | None]
    mark: Mark | None
    render: Callable[[T], list[OutgoingMessage]] | None
    single_in_response: bool
    now: dt.datetime

    async def compute(self, current: ConversationState | None) -> _Computed[T]:
        """Run the engine on the loaded state; render and name the counter (no I/O)."""
        new_state, result = await self.update_state(current)
        messages = self.render(result) if self.render is not None else []
        return _Computed(new_state, result, messages, self.count(result))
