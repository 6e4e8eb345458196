"""What WhatsApp cannot show, found before it reaches people, in every language.

WhatsApp's menus are smaller than Telegram's: a screen with 1-3 choices is a button message
(each title 20 characters at most, the text above the buttons 1,024), 4 or more a list (row
titles 24, descriptions 72, 10 rows a page). The renderer (``bot.channels.whatsapp_messages``)
never sends what WhatsApp refuses: it pages long menus, shows a list label over 24 characters cut,
with the whole label in the row's description (not reported: nothing is lost), and sends long
text before the buttons. What it cannot do well is reported here:

- error: a button that may appear on a screen of 1-3 choices, with a label over 20 characters and
  no ``short:`` label that fits (it would be cut off);
- error: the message the buttons ride on is over 1,024 characters (it would be cut in two);
- error: an interface label (Back, Main menu, …) over its limit in some language;
- warning: more than 10 choices (WhatsApp shows them on two pages).

The numbers of choices count the buttons the engine adds (Sources, Back, Main menu, Language):
``Back`` appears only with a history, and buttons with ``when`` only for some answers, so both
the fewest and the most choices a screen can show are checked. Pure apart from reading catalogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from bot.engine import ui
from bot.engine.loader import Problem, Severity
from bot.engine.model import Flows, Node
from bot.engine.runner import MAIN, WELCOME

__all__ = [
    "BODY_MAX",
    "BUTTONS_MAX",
    "BUTTON_TITLE_MAX",
    "ROWS_MAX",
    "ROW_TITLE_MAX",
    "check_whatsapp",
    "whatsapp_translations",
]

BODY_MAX = 1024
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
LIST_BUTTON_MAX = 20
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROWS_MAX = 10
TELEGRAM_MAX_TEXT = 4096
# The same numbers as bot.channels.whatsapp_messages, which the engine may not import.

Gettext = Callable[[str], str]

_INTERFACE_LIMITS = {
    ui.BACK: BUTTON_TITLE_MAX,
    ui.MAIN_MENU: BUTTON_TITLE_MAX,
    ui.SOURCES: BUTTON_TITLE_MAX,
    ui.LANGUAGE_BUTTON: BUTTON_TITLE_MAX,
    "Choose": LIST_BUTTON_MAX,
    "More options ➡": ROW_TITLE_MAX,
    "Show the other choices": ROW_DESCRIPTION_MAX,
}
"""Labels the code adds to every WhatsApp menu (msgids of ``ui`` and ``whatsapp_messages``)."""


def whatsapp_translations(locales_dir: Path, languages: list[str]) -> dict[str, Gettext]:
    """English and each enabled language's catalog as a lookup; unreadable catalogs are left to
    the catalog checks, which report them."""
    found: dict[str, Gettext] = {"en": lambda msgid: msgid}
    for code in languages:
        if code == "en":
            continue
        path = locales_dir / code / "LC_MESSAGES" / "messages.po"
        try:
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code)
        except (OSError, PoFileError, ValueError):
            continue
        table = {
            str(m.id): str(m.string)
            for m in catalog
            if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string
        }
        found[code] = lambda msgid, table=table: table.get(msgid, msgid)  # type: ignore[misc]
    return found


def _where(node: Node, line: int | None = None) -> tuple[str, int]:
    if node.origin is None:
        return "?", line or 1
    return node.origin.file, line or node.origin.line


def _automatic(node: Node) -> tuple[int, int]:
    """How many buttons the engine adds at least and at most (see ``runner._nav_buttons``)."""
    added = 1 if node.legal and node.reviewed is not None and node.sources else 0
    if not node.nav:
        return added, added
    menu = 1 if node.id != MAIN else 0
    language = 1 if node.id in (MAIN, WELCOME) else 0
    back = 1 if node.id != MAIN else 0
    return added + menu + language, added + menu + language + back


def _choices(node: Node) -> tuple[int, int]:
    """The fewest and the most choices this screen can show."""
    fewest, most = _automatic(node)
    always = sum(1 for b in node.buttons if not b.when)
    return fewest + always, most + len(node.buttons)


def _node_problems(node: Node, language: str, gettext: Gettext) -> list[Problem]:
    problems: list[Problem] = []
    fewest, most = _choices(node)
    named = "" if language == "en" else f" ({language})"
    for button in node.buttons:
        file, line = _where(node, button.origin.line if button.origin else None)
        label = gettext(button.label)
        short = gettext(button.short) if button.short else None
        fits = len(label) <= BUTTON_TITLE_MAX or bool(short and len(short) <= BUTTON_TITLE_MAX)
        if fewest <= BUTTONS_MAX and not fits:
            problems.append(
                Problem(
                    file,
                    line,
                    node.id,
                    f'the button "{label}"{named} is {len(label)} characters and WhatsApp '
                    f"buttons show {BUTTON_TITLE_MAX}: add a short label for WhatsApp "
                    f'("short:" under "label:", {BUTTON_TITLE_MAX} characters at most, '
                    "translated like the label), or shorten the label",
                )
            )
    if most > ROWS_MAX:
        file, line = _where(node)
        problems.append(
            Problem(
                file,
                line,
                node.id,
                f"this screen can show {most} choices; WhatsApp lists show {ROWS_MAX}, so people "
                "there see them on two pages: move some to a new screen",
                "warning",
            )
        )
    problems.extend(_body_problems(node, language, gettext))
    return problems


def _body_problems(node: Node, language: str, gettext: Gettext) -> list[Problem]:
    """The text the buttons ride on is the screen's last message (legal screens end with the
    short review notice); any message that can be last must fit WhatsApp's 1,024."""
    if (node.legal and node.reviewed is not None) or not node.messages or node.action:
        return []
    last_fixed = max((i for i, m in enumerate(node.messages) if not m.when), default=0)
    problems = []
    named = "" if language == "en" else f" in {language}"
    for message in node.messages[last_fixed:]:
        text = gettext(message.text)
        if len(text.encode("utf-16-le")) // 2 > TELEGRAM_MAX_TEXT:
            continue  # already an error for every channel: one report is enough
        if len(text) > BODY_MAX:
            file, line = _where(node, message.origin.line if message.origin else None)
            problems.append(
                Problem(
                    file,
                    line,
                    node.id,
                    f"this message{named} is {len(text):,} characters and the buttons come under "
                    f"it; WhatsApp shows at most {BODY_MAX:,} above buttons: split it into "
                    "shorter messages",
                )
            )
    return problems


def _interface_problems(language: str, gettext: Gettext) -> list[Problem]:
    problems = []
    for msgid, limit in _INTERFACE_LIMITS.items():
        text = gettext(msgid)
        if len(text) > limit:
            severity: Severity = "error"
            problems.append(
                Problem(
                    f"locales/{language}/LC_MESSAGES/messages.po",
                    1,
                    "",
                    f'the {language} translation of "{msgid}" is {len(text)} characters; on '
                    f"WhatsApp it must fit {limit}: shorten it",
                    severity,
                )
            )
    return problems


def check_whatsapp(flows: Flows, translations: dict[str, Gettext]) -> list[Problem]:
    """Every screen that WhatsApp could not show well, in each language given."""
    problems: list[Problem] = []
    for language, gettext in translations.items():
        problems.extend(_interface_problems(language, gettext))
        for node in flows.nodes.values():
            problems.extend(_node_problems(node, language, gettext))
    return problems
