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
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.counters import CounterKey, SqlCounters
from bot.store.models import DeliveryRow
from bot.store.states import ConcurrentUpdate, SqlStateStore, Update, rowcount, utcnow

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
        async with self.sessions() as session:
            lock = self._serial(session)
            if lock is not None:
                await lock.acquire()
            try:
                outcome, erased = await self._turn(
                    session, key, update_state, count, mark, render, single_in_response
                )
            finally:
                if lock is not None:
                    lock.release()
        if erased:
            await self.states.wipe()
        return outcome

    async def _turn(
        self,
        session: AsyncSession,
        key: str,
        update_state: Update[T],
        count: Callable[[T], CounterKey | None],
        mark: Mark | None,
        render: Callable[[T], list[OutgoingMessage]] | None,
        single_in_response: bool,
    ) -> tuple[TurnOutcome[T], bool]:
        """The turn's statements, fewest first: load the state, write it, insert the mark.

        The mark is inserted last with ``ON CONFLICT DO NOTHING`` instead of looked up first: a
        fresh update (nearly every one) costs no extra ``SELECT``; a redelivery is found when
        the insert adds nothing, and its turn is rolled back unseen (the engine has no other
        effect) before its outbox is read. On PostgreSQL a second worker's insert of the same
        id waits for the first one's commit, so exactly one of them runs the turn.
        """
        now = utcnow()
        version, current = await self.states.load(session, key, lock=True)
        new_state, result = await update_state(current)
        messages = render(result) if render is not None else []
        pending: Pending | None = None
        try:
            erased = await self.states.stage(session, key, version, new_state)
            if mark is not None:
                done = len(messages) == 0 or (single_in_response and len(messages) == 1)
                sent = len(messages) if done else 0
                inserted = await session.execute(
                    self._insert(session)(DeliveryRow)
                    .values(
                        channel=mark.channel,
                        update_id=mark.update_id,
                        created_at=now,
                        outbox=None if done else json.dumps(messages),
                        sent=sent,
                        lease_until=None if done else now + self.lease,
                    )
                    .on_conflict_do_nothing(index_elements=["channel", "update_id"])
                    # RETURNING, not rowcount: psycopg reports -1 for an INSERT's rowcount.
                    .returning(DeliveryRow.sent)
                )
                if inserted.first() is None:
                    await session.rollback()
                    return TurnOutcome(None, await self._redelivered(session, mark, now)), False
                pending = Pending(messages, sent, fresh=True, owned=True)
            counter = count(result)
            if counter is not None and self.counters is not None:
                await self.counters.add_in(session, counter)
            await session.commit()
        except (ConcurrentUpdate, IntegrityError) as exc:
            await session.rollback()
            raise ConcurrentUpdate(key[:8]) from exc
        return TurnOutcome(result, pending), erased

    @staticmethod
    def _insert(session: AsyncSession) -> Callable[..., Any]:
        """The dialect's ``INSERT`` (both have ``ON CONFLICT``; Core's generic one has not)."""
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        return pg_insert if dialect == "postgresql" else sqlite_insert

    async def _redelivered(self, session: AsyncSession, mark: Mark, now: dt.datetime) -> Pending:
        """A redelivered update: its outbox, leased to us when nobody else is sending it."""
        found = (
            await session.execute(
                select(DeliveryRow.outbox, DeliveryRow.sent, DeliveryRow.lease_until).where(
                    DeliveryRow.channel == mark.channel, DeliveryRow.update_id == mark.update_id
                )
            )
        ).first()
        if found is None or found.outbox is None:
            await session.commit()
            return Pending([], 0, fresh=False, owned=True)
        messages: list[OutgoingMessage] = json.loads(found.outbox)
        if found.lease_until is not None and found.lease_until > now:
            await session.commit()
            return Pending(messages, found.sent, fresh=False, owned=False)
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.channel == mark.channel, DeliveryRow.update_id == mark.update_id)
            .values(lease_until=now + self.lease)
        )
        await session.commit()
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
