"""Real Telegram update JSON, as the Bot API would post it to our webhook."""

from __future__ import annotations

import itertools
import time
from typing import Any

_update_ids = itertools.count(1000)
_message_ids = itertools.count(1)

USER_ID = 987654321
USERNAME = "maria_lopez"
FIRST_NAME = "María"
LAST_NAME = "Hernández"
PHONE = "+5215512345678"


def person(language_code: str | None = "es-MX", user_id: int = USER_ID) -> dict[str, Any]:
    """The Telegram user who writes to the helpline."""
    user: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": FIRST_NAME,
        "last_name": LAST_NAME,
        "username": USERNAME,
    }
    if language_code is not None:
        user["language_code"] = language_code
    return user


def chat(user_id: int = USER_ID) -> dict[str, Any]:
    """The private chat with that user (its id is the user's id, as in Telegram)."""
    return {
        "id": user_id,
        "type": "private",
        "first_name": FIRST_NAME,
        "last_name": LAST_NAME,
        "username": USERNAME,
    }


def _message(user: dict[str, Any], **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat(user["id"]),
        "from": user,
        **content,
    }


def text(body: str, language_code: str | None = "es-MX", user_id: int = USER_ID) -> dict[str, Any]:
    """A text message (commands included, with the bot_command entity Telegram adds)."""
    content: dict[str, Any] = {"text": body}
    if body.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(body.split()[0])}]
    return {
        "update_id": next(_update_ids),
        "message": _message(person(language_code, user_id), **content),
    }


def edited(body: str, language_code: str | None = "es-MX") -> dict[str, Any]:
    """An edited text message."""
    message = _message(person(language_code), text=body)
    message["edit_date"] = int(time.time())
    return {"update_id": next(_update_ids), "edited_message": message}


def button(
    data: str, language_code: str | None = "es-MX", user_id: int = USER_ID
) -> dict[str, Any]:
    """A press on an inline button whose callback_data is ``data``."""
    user = person(language_code, user_id)
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": user,
            "chat_instance": "-42",
            "data": data,
            "message": _message({**user, "id": user_id}, text="(earlier screen)"),
        },
    }


def sticker(language_code: str | None = "es-MX") -> dict[str, Any]:
    """A sticker."""
    return {
        "update_id": next(_update_ids),
        "message": _message(
            person(language_code),
            sticker={
                "file_id": "CAACAgIAAxk",
                "file_unique_id": "AgAD",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        ),
    }


def photo(language_code: str | None = "es-MX") -> dict[str, Any]:
    """A photo."""
    size = {"file_id": "AgACAgIAAxk", "file_unique_id": "AQAD", "width": 90, "height": 90}
    return {
        "update_id": next(_update_ids),
        "message": _message(person(language_code), photo=[size]),
    }


def voice(language_code: str | None = "es-MX") -> dict[str, Any]:
    """A voice note."""
    return {
        "update_id": next(_update_ids),
        "message": _message(
            person(language_code),
            voice={"file_id": "AwACAgIAAxk", "file_unique_id": "AgADv", "duration": 3},
        ),
    }


def contact(language_code: str | None = "es-MX") -> dict[str, Any]:
    """The person shares their own phone number as a contact."""
    return {
        "update_id": next(_update_ids),
        "message": _message(
            person(language_code),
            contact={
                "phone_number": PHONE,
                "first_name": FIRST_NAME,
                "last_name": LAST_NAME,
                "user_id": USER_ID,
            },
        ),
    }


def unknown_kind() -> dict[str, Any]:
    """An update of a kind this version of the Bot API library does not know yet."""
    return {
        "update_id": next(_update_ids),
        "business_thing_from_the_future": {"id": 1, "user": person()},
    }


def channel_post() -> dict[str, Any]:
    """A kind the helpline does not handle: a post in a channel."""
    return {
        "update_id": next(_update_ids),
        "channel_post": {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": {"id": -100123, "type": "channel", "title": "news"},
            "text": "hello",
        },
    }
