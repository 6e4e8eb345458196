"""Read a Telegram update's JSON strictly, before anything else touches it.

Only what the helpline answers is read: a message or edited message in a private chat (its text,
or the kind of media), and a button press (its callback data). Every field read is checked for
its type; an update of the wrong shape (an id that is a list or a string, a message without a
chat, text that is not a string) is refused with ``BadUpdate`` (the webhook answers 400), so no
crafted update can reach python-telegram-bot or stop anything. Kinds the helpline does not
handle are accepted and ignored, as Telegram expects.

Nothing here logs a value: the errors name the field's place, never its content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.engine.types import Event

__all__ = ["MAX_ID", "WEBHOOK_PATH", "BadUpdate", "Incoming", "read_update"]

WEBHOOK_PATH = "/telegram/webhook"
"""Where Telegram posts updates. Here, not in ``bot.channels.telegram``, so that the app can
declare the route without importing python-telegram-bot when Telegram is off."""
MAX_ID = 2**63 - 1
"""Telegram ids fit in a signed 64-bit integer."""
MEDIA_KINDS = (
    "sticker",
    "photo",
    "voice",
    "audio",
    "video",
    "video_note",
    "document",
    "contact",
    "location",
    "animation",
)


class BadUpdate(ValueError):
    """The body is not a Telegram update the helpline can read (answer 400)."""


@dataclass(frozen=True)
class Incoming:
    """What one update asks of the helpline. ``chat_id`` is ``None`` when nothing is to be said."""

    update_id: int
    chat_id: int | None = None
    event: Event | None = None
    callback_query_id: str | None = None
    erase: bool = False
    """The person blocked the bot (``my_chat_member``, status ``kicked``): forget the chat."""


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_ID:
        raise BadUpdate(f"{where} is not an integer id")
    return value


def _str(value: Any, where: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadUpdate(f"{where} is not a string")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadUpdate(f"{where} is not an object")
    return value


def _user_language(user: Any, where: str) -> str | None:
    if user is None:
        return None
    user = _object(user, where)
    _int(user.get("id"), f"{where}.id")
    return _str(user.get("language_code"), f"{where}.language_code", optional=True)


def _chat(message: dict[str, Any], where: str) -> tuple[int, str]:
    chat = _object(message.get("chat"), f"{where}.chat")
    chat_id = _int(chat.get("id"), f"{where}.chat.id")
    kind = _str(chat.get("type"), f"{where}.chat.type")
    assert kind is not None
    return chat_id, kind


def _message(update_id: int, message: Any, where: str) -> Incoming:
    message = _object(message, where)
    _int(message.get("message_id"), f"{where}.message_id")
    _int(message.get("date"), f"{where}.date")
    chat_id, kind = _chat(message, where)
    hint = _user_language(message.get("from"), f"{where}.from")
    text = _str(message.get("text"), f"{where}.text", optional=True)
    if text is None:  # a photo's caption is read like a message
        text = _str(message.get("caption"), f"{where}.caption", optional=True)
    if kind != "private":
        return Incoming(update_id)
    if text is not None:
        event = Event.typed(text, language_hint=hint)
    else:
        media = next((k for k in MEDIA_KINDS if message.get(k)), "other")
        event = Event.unsupported(media, language_hint=hint)
    return Incoming(update_id, chat_id, event)


def _button(update_id: int, query: Any) -> Incoming:
    query = _object(query, "callback_query")
    query_id = _str(query.get("id"), "callback_query.id")
    if query.get("from") is None:
        raise BadUpdate("callback_query.from is missing")
    hint = _user_language(query.get("from"), "callback_query.from")
    data = _str(query.get("data"), "callback_query.data", optional=True) or ""
    message = query.get("message")
    if message is None:  # a button under an inline-mode message: no chat to answer in
        return Incoming(update_id, callback_query_id=query_id)
    message = _object(message, "callback_query.message")
    chat_id, kind = _chat(message, "callback_query.message")
    if kind != "private":
        return Incoming(update_id, callback_query_id=query_id)
    return Incoming(update_id, chat_id, Event.pressed(data, hint), query_id)


def read_update(body: bytes) -> Incoming:
    """Decode and check one webhook body; raise ``BadUpdate`` when it is not an update."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
        raise BadUpdate("not JSON") from None
    data = _object(data, "update")
    update_id = _int(data.get("update_id"), "update_id")
    if update_id < 0:
        raise BadUpdate("update_id is negative")
    for kind in ("message", "edited_message"):
        if kind in data:
            return _message(update_id, data[kind], kind)
    if "callback_query" in data:
        return _button(update_id, data["callback_query"])
    if "my_chat_member" in data:
        return _membership(update_id, data["my_chat_member"])
    return Incoming(update_id)


def _membership(update_id: int, change: Any) -> Incoming:
    change = _object(change, "my_chat_member")
    chat_id, kind = _chat(change, "my_chat_member")
    member = _object(change.get("new_chat_member"), "my_chat_member.new_chat_member")
    status = _str(member.get("status"), "my_chat_member.new_chat_member.status")
    if kind == "private" and status == "kicked":
        return Incoming(update_id, chat_id, erase=True)
    return Incoming(update_id)
