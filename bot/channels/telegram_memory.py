"""python-telegram-bot without its memory of people: no raw chat or user id outlives its update.

Why: PTB's ``Application`` remembers every chat and user it has seen, for a persistence we do not
use (``_chat_ids_to_be_updated_in_persistence`` and ``_user_ids_to_be_updated_in_persistence``
gain both ids after every update, and ``_chat_data`` / ``_user_data`` gain an entry whenever a
callback touches ``context.chat_data``), and never lets go: 300 of 300 chat ids were in memory
after 300 updates. Its update fetcher also keeps the last ``Update`` in a local variable while it
waits for the next one.

``ForgetfulApplication`` (used through ``ApplicationBuilder.application_class``) empties that
bookkeeping after each update and strips the processed ``Update`` of its contents (message,
callback query, chat, user and the cached ``effective_*`` values), leaving only ``update_id``.
The helpline keeps no ``chat_data``, ``user_data`` or persistence, so nothing is lost; the
conversation state lives in the database under an HMAC of the chat id.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from telegram import Update
from telegram.ext import Application

__all__ = ["ForgetfulApplication", "forget_people", "strip_update"]

_BOOKKEEPING_SETS = (
    "_chat_ids_to_be_updated_in_persistence",
    "_user_ids_to_be_updated_in_persistence",
    "_chat_ids_to_be_deleted_in_persistence",
    "_user_ids_to_be_deleted_in_persistence",
)
_BOOKKEEPING_DICTS = ("_chat_data", "_user_data")


def forget_people(application: Application) -> None:  # type: ignore[type-arg]
    """Empty PTB's per-chat and per-user bookkeeping (we use no persistence and no chat_data)."""
    for name in (*_BOOKKEEPING_SETS, *_BOOKKEEPING_DICTS):
        found: Any = getattr(application, name, None)
        if found is not None:
            found.clear()


def strip_update(update: Update) -> None:
    """Leave only ``update_id`` in a processed update (PTB's fetcher keeps the last one)."""
    with update._unfrozen():
        for name in Update.__slots__:  # message, callback_query … and the cached _effective_*
            if name != "update_id":
                setattr(update, name, None)
        update.api_kwargs = MappingProxyType({})


class ForgetfulApplication(Application):  # type: ignore[type-arg]
    """An ``Application`` that forgets who each update came from once it is handled."""

    async def process_update(self, update: object) -> None:
        """Handle the update as PTB does, then drop every id it left behind."""
        try:
            await super().process_update(update)
        finally:
            forget_people(self)
            if isinstance(update, Update):
                strip_update(update)
