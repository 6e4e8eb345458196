"""The engine's vocabulary: events in, replies out, the conversation state, and the interfaces the
engine needs from outside (translation, free-text matching, the legal-aid directory).

Everything is channel-neutral: a channel adapter turns a Telegram update or a web request into an
``Event`` and turns ``Reply`` objects into messages. The engine itself does no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "HISTORY_LIMIT",
    "Button",
    "ConversationState",
    "Event",
    "Localizer",
    "Match",
    "Matcher",
    "Reply",
    "Services",
    "Translator",
]

HISTORY_LIMIT = 30
"""How many screens "back" remembers; bounded so a state row stays small."""


@dataclass(frozen=True)
class Event:
    """Something a person did: typed text (commands included), pressed a button, or sent media.

    ``language_hint`` is the channel's guess at the person's language (Telegram's
    ``language_code``); it is used only until the person has a language in their state.
    ``channel`` names the channel for the few words that differ by app (how to delete the chat)
    and for channels where people answer a menu by typing a button's number; empty for others.
    """

    kind: Literal["text", "button", "unsupported"]
    text: str = ""
    payload: str = ""
    language_hint: str | None = None
    channel: str = ""

    @classmethod
    def typed(cls, text: str, language_hint: str | None = None, channel: str = "") -> Event:
        """A text message (``/commands`` included)."""
        return cls(kind="text", text=text, language_hint=language_hint, channel=channel)

    @classmethod
    def pressed(cls, payload: str, language_hint: str | None = None, channel: str = "") -> Event:
        """A button press carrying the button's payload."""
        return cls(kind="button", payload=payload, language_hint=language_hint, channel=channel)

    @classmethod
    def unsupported(cls, what: str, language_hint: str | None = None, channel: str = "") -> Event:
        """A sticker, photo, voice note or anything else the helpline cannot read."""
        return cls(kind="unsupported", text=what, language_hint=language_hint, channel=channel)


@dataclass(frozen=True)
class Button:
    """A button: either it sends ``payload`` back to the engine, or it opens ``url``.

    ``short`` is the content's optional shorter label (already translated) for channels whose
    buttons hold fewer characters (WhatsApp: 20 on a button, 24 on a list row).
    """

    label: str
    payload: str | None = None
    url: str | None = None
    short: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message bubble with its buttons, one button per row (easy to tap on a small phone)."""

    text: str
    buttons: tuple[Button, ...] = ()


class ConversationState(BaseModel):
    """What the helpline remembers about one conversation, and nothing more.

    No identity, no message text: only the language, where the person is in the flows, the
    screens behind them (for "back") and the answers they gave to screener questions. It is
    stored under a keyed hash and erased on request or when it expires.
    """

    model_config = ConfigDict(extra="ignore")

    locale: str | None = None
    node: str | None = None
    history: list[str] = Field(default_factory=list)
    answers: dict[str, str] = Field(default_factory=dict)
    shown: list[str] = Field(default_factory=list)
    """Payloads of the buttons last shown, in order, kept only on channels where people may type a
    button's number ("2") instead of tapping it (WhatsApp); empty elsewhere."""


class Translator(Protocol):
    """Translation and formatting for one language."""

    @property
    def locale(self) -> str:
        """The language code, e.g. ``es``."""

    def gettext(self, message: str) -> str:
        """The translation of an English msgid (the msgid itself when untranslated)."""

    def format_date(self, date: dt.date) -> str:
        """A date written the way a reader of this language expects."""


class Localizer(Protocol):
    """The set of languages the helpline speaks."""

    @property
    def locales(self) -> list[str]:
        """Enabled language codes, in the order the language menu shows them."""

    def translator(self, locale: str) -> Translator:
        """The translator for an enabled language."""

    def negotiate(self, hint: str | None) -> str | None:
        """The enabled language that best fits a hint such as ``es-MX``, or ``None``."""

    def language_name(self, locale: str) -> str:
        """The language's own name for itself, e.g. "Español", for the language menu."""


@dataclass(frozen=True)
class Match:
    """What free text most likely asks for. ``node`` is ``None`` when nothing fits."""

    node: str | None
    confidence: float
    candidates: tuple[str, ...] = ()
    language: str | None = None
    danger: bool = False


class Matcher(Protocol):
    """Understands free text; implemented by ``bot.nlu``."""

    def match(self, text: str, locale: str) -> Match:
        """The node a message asks for, or candidates when it is a close call."""


@dataclass(frozen=True)
class Services:
    """Optional helpers the engine may consult; each is pure and in memory."""

    matcher: Matcher | None = None
    directory: object | None = None
    extras: dict[str, object] = field(default_factory=dict)
