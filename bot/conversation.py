"""One turn of a conversation: key it, load its state, run the engine, save, count.

Channels call ``Conversations.handle`` with their own conversation id; it is hashed here, at the
edge, and never stored, logged or passed further. Conflicting writes from another worker are
retried with the fresh state so no answer is lost.

With an ``outbox`` (the service's SQL store) the state, the screen counter and, for webhook
updates, the dedupe mark with the rendered answer commit in one transaction (``run``); turns of
one person in this process queue on a per-conversation lock, so they never hold a database
connection waiting for each other while other people's turns need one.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from bot.content import ContentHolder
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply
from bot.errors import StoreUnavailable
from bot.store.counters import CounterKey, Counters
from bot.store.outbox import Mark, OutgoingMessage, SqlOutbox, TurnOutcome
from bot.store.states import ConcurrentUpdate, ConversationKeys, StateStore

__all__ = ["ERASED_NODE", "Answer", "Conversations"]

log = logging.getLogger(__name__)

ERASED_NODE = "_erased"
"""Counter name for "a conversation was erased on request"."""
RETRIES = 30
"""Enough for a burst of simultaneous taps on one conversation across several workers."""
BACKOFF_SECONDS = 0.005


@dataclass(frozen=True)
class Answer:
    """The replies to one event, and the conversation's language after it (for page chrome)."""

    replies: list[Reply]
    locale: str | None


class KeyedLocks:
    """One asyncio lock per key, forgotten as soon as nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold ``key``'s lock for the block."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass
class Conversations:
    """Runs the engine for every channel over one state store and one set of counters."""

    content: ContentHolder
    keys: ConversationKeys
    states: StateStore
    counters: Counters
    today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date()
    outbox: SqlOutbox | None = None
    """The one-transaction turn store; ``None`` (simulator, unit tests) uses the two above."""
    locks: KeyedLocks = field(default_factory=KeyedLocks, repr=False)

    async def handle(self, channel: str, conversation_id: str | int, event: Event) -> list[Reply]:
        """Answer one event in one conversation."""
        return (await self.answer(channel, conversation_id, event)).replies

    async def answer(self, channel: str, conversation_id: str | int, event: Event) -> Answer:
        """Answer one event and say which language the conversation is now in."""
        if self.outbox is not None:
            outcome = await self.run(channel, conversation_id, event)
            assert outcome.result is not None
            return outcome.result
        key = self.keys.key(channel, conversation_id)
        content = self.content.current

        async def update(
            state: ConversationState | None,
        ) -> tuple[ConversationState | None, tuple[ConversationState | None, list[Reply]]]:
            new_state, replies = advance(
                content.flows, state, event, content.localizer, content.services
            )
            return new_state, (new_state, replies)

        for attempt in range(RETRIES):
            try:
                new_state, replies = await self.states.transaction(key, update)
                break
            except ConcurrentUpdate:
                log.info("conversation changed by another worker; retry %d", attempt + 1)
                await asyncio.sleep(random.uniform(0, BACKOFF_SECONDS * min(attempt + 1, 10)))
        else:
            log.error("conversation kept changing under us; giving up after %d tries", RETRIES)
            raise ConcurrentUpdate("retries exhausted")
        await self._count(channel, new_state)
        return Answer(replies, new_state.locale if new_state else None)

    async def run(
        self,
        channel: str,
        conversation_id: str | int,
        event: Event,
        *,
        mark: Mark | None = None,
        render: Callable[[Answer], list[OutgoingMessage]] | None = None,
        single_in_response: bool = False,
    ) -> TurnOutcome[Answer]:
        """One turn in one transaction (state, counter, dedupe mark and outbox), retried when
        another worker wrote the same conversation first.

        Raises ``StoreUnavailable`` when the database fails; nothing of the turn is then saved.
        """
        outbox = self.outbox
        if outbox is None:
            raise StoreUnavailable("run() needs the SQL outbox")
        key = self.keys.key(channel, conversation_id)
        content = self.content.current
        counted: list[CounterKey | None] = [None]

        async def update(
            state: ConversationState | None,
        ) -> tuple[ConversationState | None, Answer]:
            new_state, replies = advance(
                content.flows, state, event, content.localizer, content.services
            )
            counted[0] = self._counter_key(channel, new_state)
            return new_state, Answer(replies, new_state.locale if new_state else None)

        async with self.locks.hold(key):
            for attempt in range(RETRIES):
                try:
                    return await outbox.run_turn(
                        key,
                        update,
                        count=lambda _answer: counted[0],
                        mark=mark,
                        render=render,
                        single_in_response=single_in_response,
                    )
                except ConcurrentUpdate:
                    log.info("conversation changed by another worker; retry %d", attempt + 1)
                    await asyncio.sleep(random.uniform(0, BACKOFF_SECONDS * min(attempt + 1, 10)))
                except (SQLAlchemyError, OSError, TimeoutError) as exc:
                    log.warning("turn not saved: the database failed (%s)", type(exc).__name__)
                    raise StoreUnavailable(type(exc).__name__) from None
        log.error("conversation kept changing under us; giving up after %d tries", RETRIES)
        raise StoreUnavailable("retries exhausted")

    def _counter_key(self, channel: str, state: ConversationState | None) -> CounterKey | None:
        if state is None:
            return (self.today(), channel, "-", ERASED_NODE)
        if state.node:
            return (self.today(), channel, state.locale or "-", state.node)
        return None

    async def erase(self, channel: str, conversation_id: str | int) -> None:
        """Forget a conversation (used when a channel itself learns the person left)."""
        await self.states.erase(self.keys.key(channel, conversation_id))

    async def _count(self, channel: str, state: ConversationState | None) -> None:
        """Add to the counters; statistics never cost a person the answer already computed."""
        try:
            if state is None:
                await self.counters.add(self.today(), channel, "-", ERASED_NODE)
            elif state.node:
                await self.counters.add(self.today(), channel, state.locale or "-", state.node)
        except Exception as exc:  # noqa: BLE001 - the state is saved; the reply must still go out
            log.warning("counter not updated: %s", type(exc).__name__)
