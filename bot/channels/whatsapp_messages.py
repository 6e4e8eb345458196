"""Engine replies as WhatsApp Cloud API messages, within every limit WhatsApp sets.

A screen with 1-3 buttons is an interactive ``button`` message; 4 or more choices are an
interactive ``list`` (10 rows at most, so longer menus go on pages with a "more" row). Text
beyond the interactive body limit goes first as plain text messages and the buttons ride on the
last one. Links are written out and previews are off. The shared rules (joining paragraphs,
splitting, pages, short labels) live in ``bot.channels.render``; this module only knows
WhatsApp's numbers and JSON shapes. Payloads carry no recipient: ``send`` adds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.channels.render import (
    Screen,
    fit_label,
    page_of,
    screens,
    split_tail,
    split_text,
    with_links,
)
from bot.conversation import Answer
from bot.engine.types import Button
from bot.engine.ui import N_

__all__ = [
    "BODY_MAX",
    "BUTTONS_MAX",
    "BUTTON_TITLE_MAX",
    "LIST_BUTTON_MAX",
    "MORE_PREFIX",
    "ROWS_MAX",
    "ROW_DESCRIPTION_MAX",
    "ROW_TITLE_MAX",
    "TEXT_MAX",
    "render_answer",
    "render_screen",
]

TEXT_MAX = 4096
"""A text message's body."""
BODY_MAX = 1024
"""An interactive message's body (the text the buttons ride on)."""
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
LIST_BUTTON_MAX = 20
"""The label of the button that opens a list."""
ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ID_MAX = 200
"""A list row's id (a reply button's may be 256); our payloads are 64 bytes at most."""
MORE_PREFIX = "more:"
"""The id of the "more" row: ``more:<page>``. The channel shows that page of the current screen."""
EMPTY_BODY = "⬇"

CHOOSE = N_("Choose")
"""The button that opens a list on WhatsApp (20 characters at most)."""
MORE = N_("More options ➡")
"""The last row of a list page that has a next page (24 characters at most)."""
MORE_DESCRIPTION = N_("Show the other choices")

Gettext = Callable[[str], str]
Message = dict[str, Any]


def _text(body: str) -> Message:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def _unique(titles: list[str], limit: int) -> list[str]:
    """WhatsApp refuses a button message whose titles repeat; two labels cut to the same words
    get a number instead of their last characters."""
    seen: set[str] = set()
    result = []
    for title in titles:
        number = 2
        candidate = title
        while candidate in seen:
            suffix = f" {number}"
            candidate = title[: limit - len(suffix)].rstrip() + suffix
            number += 1
        seen.add(candidate)
        result.append(candidate)
    return result


def _button_message(body: str, actions: Sequence[Button]) -> Message:
    titles = [fit_label(b.label, b.short, BUTTON_TITLE_MAX) for b in actions]
    titles = _unique(titles, BUTTON_TITLE_MAX)
    buttons = [
        {"type": "reply", "reply": {"id": (b.payload or "")[:ID_MAX], "title": title}}
        for b, title in zip(actions, titles, strict=True)
    ]
    return {
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}},
    }


def _row(button: Button) -> dict[str, str]:
    title = fit_label(button.label, button.short, ROW_TITLE_MAX)
    row = {"id": (button.payload or "")[:ID_MAX], "title": title}
    if title != button.label:  # the whole label still shows, under the short title
        row["description"] = fit_label(button.label, None, ROW_DESCRIPTION_MAX)
    return row


def _list_message(body: str, actions: Sequence[Button], page: int, gettext: Gettext) -> Message:
    shown, next_page = page_of(actions, ROWS_MAX, page)
    rows = [_row(b) for b in shown]
    if next_page is not None:
        rows.append(
            {
                "id": f"{MORE_PREFIX}{next_page}",
                "title": fit_label(gettext(MORE), None, ROW_TITLE_MAX),
                "description": fit_label(gettext(MORE_DESCRIPTION), None, ROW_DESCRIPTION_MAX),
            }
        )
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body},
            "action": {
                "button": fit_label(gettext(CHOOSE), None, LIST_BUTTON_MAX),
                "sections": [{"rows": rows}],
            },
        },
    }


def render_screen(screen: Screen, gettext: Gettext, page: int = 0) -> list[Message]:
    """One screen as WhatsApp messages: plain text first where it is long, then the one that
    carries the buttons (or the list)."""
    actions = screen.actions
    text = with_links(screen.text, screen.links)
    if not actions:
        return [_text(piece) for piece in split_text(text, TEXT_MAX) if piece]
    head, body = split_tail(text, BODY_MAX, TEXT_MAX)
    messages = [_text(piece) for piece in head if piece]
    body = body or EMPTY_BODY
    if len(actions) <= BUTTONS_MAX:
        messages.append(_button_message(body, actions))
    else:
        messages.append(_list_message(body, actions, page, gettext))
    return messages


def render_answer(answer: Answer, gettext: Gettext, page: int = 0) -> list[Message]:
    """Every message for one answer, in order; ``page`` picks the page of a long menu."""
    messages: list[Message] = []
    for screen in screens(answer.replies):
        messages.extend(render_screen(screen, gettext, page))
    return messages
