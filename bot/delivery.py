"""PLACEHOLDER: replaced by the delivery branch at merge (issue 11). Keep only this interface.

The real module dedupes ``update_id`` in the shared database, runs the turn, stores the rendered
outbox with the dedupe mark in one transaction, sends it in order through ``send``, resumes an
unsent outbox on redelivery, and raises on a permanent failure so the webhook answers 5xx.

This stand-in only keeps the WhatsApp channel working on its own branch: ids seen by this process
are remembered in memory (bounded), the turn runs through ``Conversations.answer``, then the
rendered messages are sent in order. It loses the dedupe marks on restart and cannot resume a
half-sent outbox; nothing here is used by other channels.
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
    seen: OrderedDict[tuple[str, str], None] = vars(conversations).setdefault(
        "_placeholder_seen", OrderedDict()
    )  # per running service, like the real store's table
    mark = (channel, update_id)
    if mark in seen:
        return
    seen[mark] = None  # before the turn: a redelivery while this one runs is not answered twice
    while len(seen) > _SEEN_LIMIT:
        seen.popitem(last=False)
    try:
        answer = await conversations.answer(channel, conversation_id, event)
        outbox = render(answer)
    except BaseException:
        seen.pop(mark, None)  # the turn did not happen: let the redelivery run it
        raise
    for message in outbox:
        await send(message)
