"""The content model: what an NGO editor writes in ``flows/*.yaml``, as typed pydantic models.

Every English string here is a gettext msgid; translations live in ``locales/``. Models refuse
unknown fields so that a typo in a field name is reported instead of silently ignored.
Each model remembers the file and line it came from (``origin``) so errors can point there.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

__all__ = [
    "BUTTON_ID_PATTERN",
    "CHANNELS",
    "NODE_ID_PATTERN",
    "Button",
    "Condition",
    "Flows",
    "InputSpec",
    "Message",
    "Node",
    "Notice",
    "Origin",
    "Source",
]

NODE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
"""Node ids are short and ASCII so they fit inside Telegram's 64-byte ``callback_data``."""

Condition = dict[str, str | list[str]]
"""``{answer_key: value}`` or ``{answer_key: [value, ...]}``; every key must match."""


class Origin(BaseModel):
    """Where a piece of content was written, for error messages an editor can follow."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class _Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin | None:
        """The file and line this item was read from, when it came from a file."""
        return self._origin


CHANNELS = ("telegram", "whatsapp", "web", "cli")
"""The channels a bubble can be limited to (``Event.channel``; ``cli`` is the terminal chat)."""


class Message(_Content):
    """One chat bubble. ``when`` shows it only when the stored answers match; ``channels`` only
    on those channels, for advice that differs by app (how to delete a chat, say)."""

    text: str
    when: Condition | None = None
    channels: list[str] | None = None

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: list[str] | None) -> list[str] | None:
        """A misspelt channel would hide the bubble everywhere: refuse it, naming the right ones."""
        for name in value or []:
            if name not in CHANNELS:
                raise ValueError(f'unknown channel "{name}": use {", ".join(CHANNELS)}')
        return value


BUTTON_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
"""Button ids travel inside button payloads, so they are short and plain too."""


class Button(_Content):
    """A button that goes to another node and may store an answer on the way.

    Its ``key`` (an explicit ``id``, or else the screen it opens plus the answer it stores) is what
    the button sends back when pressed, so reordering buttons never changes what an old button,
    still in someone's chat, opens.
    """

    label: str
    short: str | None = None
    """A shorter label for WhatsApp, whose buttons show 20 characters (list rows 24)."""
    goto: str
    set: dict[str, str] = Field(default_factory=dict)
    when: Condition | None = None
    id: str | None = None
    typed: dict[str, list[str]] = Field(default_factory=dict)
    """Typed answers that press this button, per language ("si", "sí estoy en peligro",
    "yes"): most people on WhatsApp and Telegram type their answer to a question instead of
    tapping. See ``bot.engine.typed``."""

    @property
    def key(self) -> str:
        """The stable name this button is pressed by: ``id``, or ``goto[.answer values]``."""
        if self.id:
            return self.id
        return ".".join([self.goto, *self.set.values()])


class InputSpec(_Content):
    """What the node does with typed text: run a built-in action, then go on to ``next``."""

    action: str
    save: str | None = None
    next: str | None = None


class Node(_Content):
    """A screen: messages, buttons, and optionally what it does with typed text."""

    id: str
    title: str
    messages: list[Message] = Field(default_factory=list)
    buttons: list[Button] = Field(default_factory=list)
    input: InputSpec | None = None
    action: str | None = None
    legal: bool = False
    sources: list[str] = Field(default_factory=list)
    reviewed: dt.date | None = None
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    examples: dict[str, list[str]] = Field(default_factory=dict)
    """Whole messages as people write them, per language, that should lead to this screen."""
    note: str | None = None
    nav: bool = True

    @field_validator("messages", mode="before")
    @classmethod
    def _plain_strings_are_messages(cls, value: Any) -> Any:
        """Let editors write a bubble as a plain string when it has no condition."""
        if isinstance(value, list):
            return [{"text": item} if isinstance(item, str) else item for item in value]
        return value


class Source(_Content):
    """A citation from the legal-facts file; nodes name it by ``id`` in ``sources``."""

    id: str
    confidence: Annotated[str, Field(pattern=r"^[GS?]$")]
    citation: str
    summary: str


class Notice(_Content):
    """A short dated banner at the top of the main menu, for a rule that changed overnight.

    ``text`` is an English msgid like any message. ``reviewed`` and ``expires`` are required by the
    validator (not by the model, so a missing date is reported in an editor's words): the notice is
    shown up to and including ``expires`` and never after. ``sources`` cite facts as screens do.
    """

    id: str
    text: str
    reviewed: dt.date | None = None
    expires: dt.date | None = None
    sources: list[str] = Field(default_factory=list)
    note: str | None = None

    def shown_on(self, today: dt.date) -> bool:
        """Whether people see this notice today: both dates set, reviewed, and not expired."""
        if self.reviewed is None or self.expires is None:
            return False
        return self.reviewed <= today <= self.expires


class Flows(BaseModel):
    """All content, indexed by node id. Built by ``load_flows``; read-only afterwards."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    nodes: dict[str, Node]
    sources: dict[str, Source] = Field(default_factory=dict)
    notices: dict[str, Notice] = Field(default_factory=dict)
    """Dated banners for the main menu (``notices:`` in a flow file: ``flows/notices.yaml``)."""

    @cached_property
    def short_labels(self) -> dict[str, str]:
        """Button label → the short form the content gives it (``short:``), the first found:
        a screen's title offered as a "Did you mean" button fits WhatsApp's 20 characters so
        («Buscar ayuda legal gratis» is «Ayuda legal gratis»). Built once per content load."""
        found: dict[str, str] = {}
        for node in self.nodes.values():
            for button in node.buttons:
                if button.short:
                    found.setdefault(button.label, button.short)
        return found

    def get(self, node_id: str | None) -> Node | None:
        """The node with this id, or ``None`` when it no longer exists (stale state or button)."""
        if node_id is None:
            return None
        return self.nodes.get(node_id)
