"""PLACEHOLDER: replaced by the delivery branch at merge (issue 11). Keep only this interface.

The real module dedupes ``update_id`` in the shared database, runs the turn, stores the rendered
outbox with the dedupe mark in one transaction, sends it in order through ``send``, resumes an
unsent outbox on redelivery, and raises on a permanent failure so the webhook answers 5xx.

This stand-in only keeps the WhatsApp channel working on its own branch: ids seen by this running
service are remembered in memory (bounded) with what is left of their outbox, the turn runs
through ``Conversations.answer``, then the rendered messages are sent in order, and a redelivery
sends what a failed send left. Marks are lost on restart and are not shared between workers;
nothing here is used by other channels.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from bot.conversation import Answer, Conversations
from bot.engine.types import Event

__all__ = ["OutgoingMessage", "deliver_once"]

OutgoingMessage = dict[str, Any]
"""One channel API payload without the recipient (JSON-serialisable)."""

_SEEN_LIMIT = 100_000


async def deliver_once(
    conversations: Conversations,
    *,
    channel: str,
    update_id: str,
    conversation_id: str | int,
    event: Event,
    render: Callable[[Answer], list[OutgoingMessage]],
    send: Callable[[OutgoingMessage], Awaitable[None]],
) -> None:
    """Answer ``event`` once per ``update_id``: run the turn, render it, send each message."""
    outboxes: OrderedDict[tuple[str, str], list[OutgoingMessage]] = vars(conversations).setdefault(
        "_placeholder_outboxes", OrderedDict()
    )  # per running service
    mark = (channel, update_id)
    if mark not in outboxes:
        answer = await conversations.answer(channel, conversation_id, event)
        outboxes[mark] = render(answer)  # the dedupe mark, with what is left to send
        while len(outboxes) > _SEEN_LIMIT:
            outboxes.popitem(last=False)
    outbox = outboxes[mark]
    while outbox:  # a redelivery resumes where a failed send stopped
        await send(outbox[0])
        outbox.pop(0)
