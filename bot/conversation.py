"""One turn of a conversation: key it, load its state, run the engine, save, count.

Channels call ``Conversations.handle`` with their own conversation id; it is hashed here, at the
edge, and never stored, logged or passed further. Conflicting writes from another worker are
retried with the fresh state so no answer is lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.content import ContentHolder
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply
from bot.store.counters import Counters
from bot.store.states import ConcurrentUpdate, ConversationKeys, StateStore

__all__ = ["ERASED_NODE", "Answer", "Conversations"]

log = logging.getLogger(__name__)

ERASED_NODE = "_erased"
"""Counter name for "a conversation was erased on request"."""
RETRIES = 30
"""Enough for a burst of simultaneous taps on one conversation across several workers."""
BACKOFF_SECONDS = 0.005


PAGE_VIEW = "nav:here"
"""The payload a channel sends to show the current screen again (a page reload)."""


@dataclass(frozen=True)
class Answer:
    """The replies to one event, and the language they are written in (for page chrome).

    ``erased`` is true when the event erased the conversation (``/delete``): a channel that shows
    the past conversation (the web page) clears it too.
    """

    replies: list[Reply]
    locale: str | None
    erased: bool = False


@dataclass
class Conversations:
    """Runs the engine for every channel over one state store and one set of counters."""

    content: ContentHolder
    keys: ConversationKeys
    states: StateStore
    counters: Counters
    today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date()

    async def handle(self, channel: str, conversation_id: str | int, event: Event) -> list[Reply]:
        """Answer one event in one conversation."""
        return (await self.answer(channel, conversation_id, event)).replies

    async def answer(self, channel: str, conversation_id: str | int, event: Event) -> Answer:
        """Answer one event and say which language the conversation is now in."""
        key = self.keys.key(channel, conversation_id)
        content = self.content.current
        if not event.channel:
            event = replace(event, channel=channel)
        Turn = tuple[ConversationState | None, ConversationState | None, list[Reply]]

        async def update(state: ConversationState | None) -> tuple[ConversationState | None, Turn]:
            new_state, replies = advance(
                content.flows, state, event, content.localizer, content.services
            )
            return new_state, (state, new_state, replies)

        for attempt in range(RETRIES):
            try:
                old, new_state, replies = await self.states.transaction(key, update)
                break
            except ConcurrentUpdate:
                log.info("conversation changed by another worker; retry %d", attempt + 1)
                await asyncio.sleep(random.uniform(0, BACKOFF_SECONDS * min(attempt + 1, 10)))
        else:
            log.error("conversation kept changing under us; giving up after %d tries", RETRIES)
            raise ConcurrentUpdate("retries exhausted")
        reload = event.kind == "button" and event.payload == PAGE_VIEW
        same_screen = old is not None and new_state is not None and old.node == new_state.node
        if not (reload and same_screen):
            await self._count(channel, new_state)  # a reload of the same screen is not a turn
        if new_state is None:
            return Answer(replies, old.locale if old else None, erased=True)
        return Answer(replies, new_state.locale)

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
