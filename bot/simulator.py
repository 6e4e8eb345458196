"""A terminal simulator of the helpline: the same engine, in memory, one input a line.

Buttons print as a numbered list; a line of one or two digits presses that button (a longer
number, such as a year, is typed text), ``/command`` lines are commands, anything else is free
text. Works in a pipe for scripted conversations (nothing is wrapped there, so scripts and
``grep`` see whole lines). In a terminal it speaks the chosen language from its
first line, starts the conversation at once, wraps text at word boundaries to the terminal's width
and edits the line with readline (arrows, Ctrl-A, history).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import shutil
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.engine.types import Button, Event, Reply
from bot.engine.ui import N_
from bot.store.counters import MemoryCounters
from bot.store.states import ConversationKeys, MemoryStateStore

__all__ = ["run_simulator"]

CHANNEL = "cli"
INTRO = N_("Write a number to press a button, or a few words. Press Ctrl-D to quit.")
NO_BUTTON = N_("(no button {number}; choose 1 to {count})")
OPENS = N_("(opens {url})")


@dataclass
class _Speaker:
    """The simulator's own words in the conversation's language (all languages until known)."""

    content: ContentHolder
    locale: str | None

    def say(self, message: str, **values: object) -> str:
        localizer = self.content.current.localizer
        codes = [self.locale] if self.locale in localizer.locales else localizer.locales
        lines = [localizer.translator(code).gettext(message).format(**values) for code in codes]
        return " / ".join(dict.fromkeys(lines))


def _width(out: TextIO) -> int | None:
    """The terminal's width (``COLUMNS`` wins, as usual); ``None`` in a pipe: no wrapping."""
    if out.isatty():
        return max(20, shutil.get_terminal_size().columns - 1)
    return None


def _wrap(text: str, width: int | None, indent: str = "") -> str:
    """Each line of ``text`` wrapped at word boundaries (never inside a word or a link)."""
    if width is None:
        return indent + text.replace("\n", "\n" + indent) if indent else text
    lines = []
    for line in text.split("\n"):
        lines.append(
            textwrap.fill(
                line,
                width=width,
                initial_indent=indent,
                subsequent_indent=indent + "   " if indent else "",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or indent
        )
    return "\n".join(lines)


def _print_replies(replies: list[Reply], out: TextIO, width: int | None) -> list[Button]:
    buttons: list[Button] = []
    for reply in replies:
        print(_wrap(reply.text, width), file=out)
        for button in reply.buttons:
            buttons.append(button)
            target = f" ({button.url})" if button.url else ""
            print(_wrap(f"{len(buttons)}. {button.label}{target}", width, "  "), file=out)
        print(file=out)
    return buttons


async def _converse(
    content: ContentHolder, lang: str | None, lines: Iterable[str], out: TextIO, prompt: bool
) -> None:
    conversations = Conversations(
        content=content,
        keys=ConversationKeys(b"simulator"),
        states=MemoryStateStore(ttl=dt.timedelta(hours=1)),
        counters=MemoryCounters(),
    )
    speaker = _Speaker(content, content.current.localizer.negotiate(lang))
    width = _width(out)
    buttons: list[Button] = []

    async def turn(event: Event) -> list[Button]:
        answer = await conversations.answer(CHANNEL, "terminal", event)
        speaker.locale = answer.locale or speaker.locale
        return _print_replies(answer.replies, out, width)

    if prompt:
        print(_wrap(speaker.say(INTRO), width) + "\n", file=out)
        buttons = await turn(Event.typed("/start", language_hint=lang))
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.isdigit() and len(line) <= 2 and buttons:
            index = int(line) - 1
            if not 0 <= index < len(buttons):
                print(speaker.say(NO_BUTTON, number=line, count=len(buttons)) + "\n", file=out)
                continue
            button = buttons[index]
            if button.payload is None:
                print(speaker.say(OPENS, url=button.url) + "\n", file=out)
                continue
            event = Event.pressed(button.payload, language_hint=lang)
        else:
            event = Event.typed(line, language_hint=lang)
        buttons = await turn(event)


def _lines(stream: TextIO, prompt: bool) -> Iterable[str]:
    if prompt and stream is sys.stdin:
        with contextlib.suppress(ImportError):  # not on every platform; input() works anyway
            import readline  # noqa: F401 - importing it gives input() line editing and history
        while True:
            try:
                yield input("> ")
            except EOFError:
                print()
                return
    while True:
        if prompt:
            print("> ", end="", flush=True)
        line = stream.readline()
        if not line:
            return
        yield line


def run_simulator(
    content: ContentHolder, lang: str | None, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    """Chat with the engine until end of input."""
    interactive = stdin.isatty()
    asyncio.run(_converse(content, lang, _lines(stdin, interactive), out, interactive))
