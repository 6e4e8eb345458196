"""Deliver one webhook update exactly once in effect, for any messaging channel.

A platform (Telegram, WhatsApp) delivers an update at least once: on a timeout or a non-2xx
answer it sends it again. ``deliver_once`` turns that into exactly one answer:

1. The update id is looked up in the shared database (``bot.store.outbox``). Seen and fully
   delivered: nothing happens. Seen with messages left: only those are sent.
2. Otherwise the turn runs, and its new state, the screen counter and the dedupe mark with the
   rendered messages (the outbox: channel payloads without any recipient) commit in one
   transaction. If the process dies before that, nothing was saved and the redelivery runs the
   turn afresh; if it dies after, the redelivery sends what the outbox still holds.
3. The messages go out in order through ``send`` (which adds the recipient); each one sent is
   recorded, so a send that fails for good raises ``SendFailed`` (the webhook answers 5xx) and
   the redelivery sends only the rest. The conversation has then moved on to a screen that will
   be delivered on redelivery, never to one that is silently lost.

``send`` may raise ``RecipientGone`` (the person blocked the bot: the conversation is erased and
nothing more is sent) or ``MessageRefused`` (that one message can never go: it is skipped and
logged by kind). Any other exception from ``send`` means "try again later".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.conversation import Answer, Conversations
from bot.engine.types import Event
from bot.errors import (
    DeliveryBusy,
    MessageRefused,
    RecipientGone,
    SendFailed,
    StoreUnavailable,
)
from bot.store.outbox import Mark, OutgoingMessage, Pending

__all__ = ["OutgoingMessage", "deliver_once"]

log = logging.getLogger(__name__)

Render = Callable[[Answer], list[OutgoingMessage]]
Send = Callable[[OutgoingMessage], Awaitable[None]]


async def deliver_once(
    conversations: Conversations,
    *,
    channel: str,
    update_id: str,
    conversation_id: str | int,
    event: Event,
    render: Render,
    send: Send,
    reply_in_response: Callable[[OutgoingMessage], None] | None = None,
) -> None:
    """Answer one update once, however often it is delivered.

    ``reply_in_response`` (Telegram's webhook reply): when given, the answer's last message is
    not sent but handed to it, to go back in the webhook's response body; it counts as delivered
    once everything before it was sent (an answer of one message: with the turn's commit).
    Raises ``StoreUnavailable`` (database), ``SendFailed`` (sending) or ``DeliveryBusy``
    (another worker is sending this update now): answer 5xx so the platform redelivers.
    """
    outbox = conversations.outbox
    if outbox is None:
        raise StoreUnavailable("deliver_once needs the SQL outbox")
    mark = Mark(channel, str(update_id))
    outcome = await conversations.run(
        channel,
        conversation_id,
        event,
        mark=mark,
        render=render,
        single_in_response=reply_in_response is not None,
    )
    pending = outcome.pending
    assert pending is not None
    if pending.fresh and pending.done:
        # Nothing to send, or one message delivered with the commit in the response body.
        if reply_in_response is not None and pending.messages:
            reply_in_response(pending.messages[-1])
        return
    if pending.done:
        log.info("%s update delivered before; nothing more to send", channel)
        return
    if not pending.owned:
        log.info("%s update is being delivered by another worker", channel)
        raise DeliveryBusy(channel)
    await _send_pending(conversations, mark, conversation_id, pending, send, reply_in_response)


async def _send_pending(
    conversations: Conversations,
    mark: Mark,
    conversation_id: str | int,
    pending: Pending,
    send: Send,
    reply_in_response: Callable[[OutgoingMessage], None] | None,
) -> None:
    """Send what is left, in order, recording each message; release the lease on failure."""
    outbox = conversations.outbox
    assert outbox is not None
    total = len(pending.messages)
    by_api = total - 1 if reply_in_response is not None else total
    sent = pending.sent
    try:
        for index, message in pending.remaining:
            if index >= by_api:
                break
            try:
                await send(message)
            except MessageRefused:
                log.warning(
                    "%s refused message %d of %d for good; skipped", mark.channel, index + 1, total
                )
            sent = index + 1
            if sent < total:
                await outbox.record_sent(mark, sent, total)
    except RecipientGone:
        log.info("%s chat unreachable (bot blocked); its conversation was erased", mark.channel)
        await _forget(conversations, mark, conversation_id, total)
        return
    except StoreUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of send means "try again later"
        log.warning(
            "%s send failed (%s) after %d of %d messages; the redelivery sends the rest",
            mark.channel,
            type(exc).__name__,
            sent,
            total,
        )
        try:
            await outbox.release(mark)
        except Exception as release_error:  # noqa: BLE001 - the lease lapses on its own
            log.warning("lease not released (%s)", type(release_error).__name__)
        raise SendFailed(type(exc).__name__) from None
    try:
        await outbox.record_sent(mark, total, total)
    except Exception as exc:  # noqa: BLE001 - the database failed: 5xx, the outbox stays
        raise StoreUnavailable(type(exc).__name__) from None
    if reply_in_response is not None and by_api < total:
        reply_in_response(pending.messages[-1])


async def _forget(
    conversations: Conversations, mark: Mark, conversation_id: str | int, total: int
) -> None:
    outbox = conversations.outbox
    assert outbox is not None
    try:
        await conversations.erase(mark.channel, conversation_id)
        await outbox.record_sent(mark, total, total)
    except Exception as exc:  # noqa: BLE001 - the database failed: 5xx, redelivered
        raise StoreUnavailable(type(exc).__name__) from None
