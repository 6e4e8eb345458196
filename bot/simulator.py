"""A terminal simulator of the helpline: the same engine, in memory, one input a line.

Buttons print as a numbered list; a line of one or two digits presses that button (a longer
number, such as a year, is typed text), ``/command`` lines are commands, anything else is free
text. Works in a pipe for scripted conversations.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.engine.types import Button, Event, Reply
from bot.store.counters import MemoryCounters
from bot.store.states import ConversationKeys, MemoryStateStore

__all__ = ["run_simulator"]

CHANNEL = "cli"


def _print_replies(replies: list[Reply], out: TextIO) -> list[Button]:
    buttons: list[Button] = []
    for reply in replies:
        print(reply.text, file=out)
        for button in reply.buttons:
            buttons.append(button)
            target = f" ({button.url})" if button.url else ""
            print(f"  {len(buttons)}. {button.label}{target}", file=out)
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
    buttons: list[Button] = []
    if prompt:
        print("Type /start to begin, a number to press a button, Ctrl-D to quit.\n", file=out)
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.isdigit() and len(line) <= 2 and buttons:
            index = int(line) - 1
            if not 0 <= index < len(buttons):
                print(f"(no button {line}; choose 1 to {len(buttons)})\n", file=out)
                continue
            button = buttons[index]
            if button.payload is None:
                print(f"(opens {button.url})\n", file=out)
                continue
            event = Event.pressed(button.payload, language_hint=lang)
        else:
            event = Event.typed(line, language_hint=lang)
        replies = await conversations.handle(CHANNEL, "terminal", event)
        buttons = _print_replies(replies, out)


def _lines(stream: TextIO, prompt: bool) -> Iterable[str]:
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
