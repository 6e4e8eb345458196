"""What the web chat shows: the page chrome in the conversation's language, bubbles ready for the
template and the script, and the kind page for a refused post.

Kept apart from ``web.py`` (routes and sessions) so the page can change without touching how a
conversation is kept. Everything here is pure: replies and a localizer in, plain data or HTML out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from bot.engine import ui
from bot.engine.types import Localizer, Reply
from bot.engine.ui import N_

__all__ = [
    "TEMPLATES",
    "bubbles",
    "chrome",
    "hide_emoji",
    "linkify",
    "refused_texts",
]

TEMPLATES = Jinja2Templates(
    directory=str(Path(__file__).resolve().parent.parent / "web" / "templates")
)

PAGE_TITLE = N_("Protection information helpline")
WRITE_HERE = N_("Write your question")
SEND = N_("Send")
OFFLINE = N_("No connection. Please try again.")
REFUSED_TITLE = N_("This message could not be sent")
REFUSED_TEXT = N_(
    "For your safety, this helpline only answers messages sent from its own page. "
    "Nothing in your conversation was changed."
)
REFUSED_DANGER = N_("If you are in danger in the United States or in Mexico, call 911.")
REFUSED_BACK = N_("Go back to the helpline")
MISSING_TITLE = N_("This page does not exist")
MISSING_TEXT = N_("The address may be mistyped or out of date.")

_LINKS = re.compile(
    r"(?P<url>https?://[^\s<>\"')]+[^\s<>\"').,;:])"
    r"|(?P<phone>(?<![\w-])(?:1-)?\d{3}-\d{3}-\d{4}(?![\w-])|(?<![\w-])(?:911|988)(?![\w-]))"
)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf"
    "\u2b00-\u2bff\ufe0f\u200d\u20e3]+"
)
"""Pictographs, arrows and symbols people see but a screen reader should not spell out
("house Main menu"); the variation selector and zero-width joiner that build emoji go with them."""


def hide_emoji(text: str) -> Markup:
    """Escape text and wrap each run of emoji in ``aria-hidden`` so screen readers skip it."""
    out: list[str] = []
    last = 0
    for match in _EMOJI.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f'<span aria-hidden="true">{escape(match.group())}</span>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def linkify(text: str) -> Markup:
    """Escape text, make web addresses and phone numbers tappable, and hide emoji from readers."""
    out: list[str] = []
    last = 0
    for match in _LINKS.finditer(text):
        out.append(str(hide_emoji(text[last : match.start()])))
        if match.group("url"):
            url = escape(match.group("url"))
            out.append(f'<a href="{url}" rel="noopener noreferrer" target="_blank">{url}</a>')
        else:
            phone = match.group("phone")
            out.append(f'<a href="tel:{phone.replace("-", "")}">{phone}</a>')
        last = match.end()
    out.append(str(hide_emoji(text[last:])))
    return Markup("".join(out))


def chrome(localizer: Localizer, locale: str | None) -> dict[str, str]:
    """The page's own words (title, placeholder, buttons) in the conversation's language."""
    t = localizer.translator(locale if locale in localizer.locales else localizer.locales[0])
    return {
        "lang": t.locale,
        "title": t.gettext(PAGE_TITLE),
        "write": t.gettext(WRITE_HERE),
        "send": t.gettext(SEND),
        "offline": t.gettext(OFFLINE),
    }


def _prompts(localizer: Localizer) -> dict[str, str]:
    """The language question in each language, so each line of the bilingual question gets its
    own ``lang`` (a screen reader then reads the English line with an English voice)."""
    found: dict[str, str] = {}
    for code in localizer.locales:
        found.setdefault(localizer.translator(code).gettext(ui.LANGUAGE_PROMPT), code)
    return found


def bubbles(replies: list[Reply], localizer: Localizer, page_lang: str) -> list[dict[str, Any]]:
    """Replies as plain data for the template and the script.

    Each bubble has ``text``, ``lines`` (``[lang or None, line]``: ``lang`` is set only where a line
    is in another language than the page) and ``buttons`` (``label``, ``payload``, ``url``, and
    ``lang`` for a language button labelled in its own language or a bubble in another one).
    """
    prompts = _prompts(localizer)
    out: list[dict[str, Any]] = []
    for reply in replies:
        lines = []
        for line in reply.text.split("\n"):
            lang = reply.lang or prompts.get(line.strip())
            lines.append([lang if lang != page_lang else None, line])
        buttons = []
        for b in reply.buttons:
            kind, _, code = (b.payload or "").partition(":")
            lang = code if kind == "lang" and code in localizer.locales else reply.lang
            lang = lang if lang != page_lang else None
            buttons.append({"label": b.label, "payload": b.payload, "url": b.url, "lang": lang})
        out.append({"text": reply.text, "lines": lines, "buttons": buttons})
    return out


def refused_texts(
    localizer: Localizer, locale: str | None, missing: bool = False
) -> dict[str, str]:
    """The words of the kind page shown when a post from another site is refused (or, with
    ``missing``, when a person opens an address that does not exist)."""
    t = localizer.translator(locale if locale in localizer.locales else localizer.locales[0])
    return {
        **chrome(localizer, t.locale),
        "heading": t.gettext(MISSING_TITLE if missing else REFUSED_TITLE),
        "text": t.gettext(MISSING_TEXT if missing else REFUSED_TEXT),
        "danger": t.gettext(REFUSED_DANGER),
        "back": t.gettext(REFUSED_BACK),
    }


TEMPLATES.env.filters["linkify"] = linkify
TEMPLATES.env.filters["hide_emoji"] = hide_emoji
