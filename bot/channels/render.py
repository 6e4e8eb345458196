"""Rendering rules every messaging channel shares: screens, splitting, pages of choices, labels.

The engine answers with bubbles (``Reply``), each with its buttons. A messaging app shows a
*screen* better as one message: the paragraphs up to the bubble that carries buttons are joined,
and the buttons ride on that message. What does not fit an app's limits is split at line breaks
(never mid-word where it can be helped); more choices than a menu holds go on pages with a "more"
entry; a label longer than a button holds uses the content's short form, or is cut at a word.

Channel-neutral on purpose: Telegram and WhatsApp differ only in the numbers they pass in (4,096
UTF-16 code units against 4,096 characters, 64 buttons against 3 or 10), so one tested set of
rules serves both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.engine.types import Button, Reply

__all__ = [
    "ELLIPSIS",
    "Screen",
    "fit_label",
    "page_of",
    "screens",
    "split_tail",
    "split_text",
    "utf16_length",
    "with_links",
]

T = TypeVar("T")
ELLIPSIS = "…"
PARAGRAPH = "\n\n"


@dataclass(frozen=True)
class Screen:
    """What one message of a messaging app shows: joined paragraphs and the buttons under them."""

    text: str
    buttons: tuple[Button, ...] = ()

    @property
    def actions(self) -> tuple[Button, ...]:
        """The buttons that answer back (a payload), in order."""
        return tuple(b for b in self.buttons if b.payload)

    @property
    def links(self) -> tuple[Button, ...]:
        """The buttons that only open a web address."""
        return tuple(b for b in self.buttons if not b.payload and b.url)


def screens(replies: Sequence[Reply]) -> list[Screen]:
    """Join bubbles into screens: every bubble up to and including one with buttons is one screen;
    bubbles after the last such bubble make a screen without buttons."""
    result: list[Screen] = []
    texts: list[str] = []
    for reply in replies:
        if reply.text.strip():
            texts.append(reply.text.strip())
        if reply.buttons:
            result.append(Screen(PARAGRAPH.join(texts), tuple(reply.buttons)))
            texts = []
    if texts:
        result.append(Screen(PARAGRAPH.join(texts)))
    return result


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (an emoji and some letters count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int, length: Callable[[str], int]) -> int:
    """The largest index ``i`` with ``length(text[:i]) <= limit`` (``len`` makes it ``limit``)."""
    if length is len:
        return min(limit, len(text))
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if length(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """Split at line breaks (or spaces) so no piece passes ``limit``: content should never need
    it (the validator warns far earlier), but an oversize message must not be lost."""
    pieces: list[str] = []
    while length(text) > limit:
        most = max(_cut(text, limit, length), 1)
        cut = text.rfind("\n", 0, most + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, most + 1)
        if cut <= 0:
            cut = most
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces


def split_tail(text: str, tail_limit: int, head_limit: int) -> tuple[list[str], str]:
    """Split ``text`` into pieces of at most ``head_limit`` and a last piece of at most
    ``tail_limit``, cut at a paragraph or line break where possible: the buttons ride on the last
    piece, which an app allows to be shorter than a plain message (WhatsApp: 1,024 of 4,096)."""
    if len(text) <= tail_limit:
        return [], text
    start = len(text) - tail_limit
    cut = -1
    for separator in (PARAGRAPH, "\n", " "):
        found = text.find(separator, start)
        if found != -1:
            cut = found
            break
    if cut == -1:
        cut = start
    head, tail = text[:cut].rstrip(), text[cut:].strip()
    if not tail:  # only separators after the cut: cut hard instead
        head, tail = text[:start].rstrip(), text[start:].strip()
    return (split_text(head, head_limit) if head else []), tail


def with_links(text: str, links: Sequence[Button]) -> str:
    """Write link buttons out as text ("label: address"), for apps whose menus cannot open links."""
    lines = [f"{b.label}: {b.url}" for b in links if b.url]
    if not lines:
        return text
    return PARAGRAPH.join(part for part in (text, "\n".join(lines)) if part)


def fit_label(label: str, short: str | None, limit: int) -> str:
    """The label if it fits, else the content's short form, else the label cut at a word (the
    validator reports labels that would be cut, so this is only a last resort)."""
    if len(label) <= limit:
        return label
    if short and len(short) <= limit:
        return short
    cut = label[: limit - len(ELLIPSIS)]
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,;:-") + ELLIPSIS


def page_of(items: Sequence[T], size: int, page: int) -> tuple[list[T], int | None]:
    """The items on page ``page`` (from 0) of a menu that holds ``size`` entries, and the number
    of the next page (``None`` on the last). Every page but the last keeps one entry free for the
    "more" entry; a page past the end gives the first page (the screen may have changed since)."""
    starts = [0]
    while len(items) - starts[-1] > size:
        starts.append(starts[-1] + size - 1)
    if not 0 <= page < len(starts):
        page = 0
    start = starts[page]
    if page == len(starts) - 1:
        return list(items[start:]), None
    return list(items[start : start + size - 1]), page + 1
