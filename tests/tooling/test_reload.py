"""Reloading content: broken content never replaces working content; the watcher and SIGHUP reload;
conversations on a screen that disappeared go back to the main menu kindly.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import shutil
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content import ContentHolder
from bot.engine import ui
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event
from bot.reloader import watch_content

VALID = Path(__file__).resolve().parent.parent / "data" / "tooling" / "valid"

EXTRA_NODE = """
  - id: later
    title: Added later
    keywords: {en: [later]}
    messages:
      - This screen was added while the helpline was running.
"""


def holder_for(root: Path) -> ContentHolder:
    return ContentHolder(root / "flows", root / "locales", ["en"])


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_reload_picks_up_good_changes(content: Path) -> None:
    holder = holder_for(content)
    append(content / "flows" / "main.yaml", EXTRA_NODE)
    assert holder.reload() == []
    assert "later" in holder.current.flows.nodes


def test_reload_keeps_the_last_good_content_when_a_file_breaks(
    content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    holder = holder_for(content)
    before = holder.current
    (content / "flows" / "main.yaml").write_text(
        "nodes:\n  - id: welcome\n   title: broken\n", encoding="utf-8"
    )
    with caplog.at_level(logging.ERROR, logger="bot.content"):
        problems = holder.reload()
    assert [str(p) for p in problems] == [
        "flows/main.yaml:3: this line is indented differently from the lines around it; line up "
        "the fields of one item with the same number of spaces (the other checks run once this "
        "file can be read)"
    ]
    assert holder.current is before
    assert "content reload refused, still serving the last good version" in caplog.text


def test_reload_refuses_content_that_loads_but_fails_validation(content: Path) -> None:
    """A dead end loads fine, but the validator calls it an error: it must not go live."""
    holder = holder_for(content)
    before = holder.current
    path = content / "flows" / "main.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    legal: true\n", "    nav: false\n    legal: true\n"
        )
    )
    problems = holder.reload()
    assert len(problems) == 1
    assert "people get stuck on this screen" in str(problems[0])
    assert holder.current is before


def test_reload_refuses_a_missing_translation(content: Path) -> None:
    """With Spanish enabled, new English text without Spanish stays out of service."""
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "locales" / "es", content / "locales" / "es"
    )
    holder = ContentHolder(content / "flows", content / "locales", ["es", "en"])
    before = holder.current
    append(content / "flows" / "main.yaml", EXTRA_NODE)
    problems = holder.reload()
    assert any('node "later": "Added later" is not in locales/es' in str(p) for p in problems)
    assert holder.current is before


@pytest.fixture
async def watching(
    content: Path,
) -> AsyncIterator[tuple[ContentHolder, asyncio.Queue[list[object]]]]:
    """The watcher running on the copy, every reload's problems arriving on a queue."""
    holder = holder_for(content)
    reloads: asyncio.Queue[list[object]] = asyncio.Queue()
    stop = asyncio.Event()
    task = asyncio.create_task(
        watch_content(
            holder,
            [content / "flows", content / "locales"],
            stop,
            interval=0.05,
            on_reload=reloads.put_nowait,
        )
    )
    await asyncio.sleep(0.2)  # let it take its first look at the files
    yield holder, reloads
    stop.set()
    await asyncio.wait_for(task, timeout=10)


async def test_watcher_reloads_when_a_file_changes(
    watching: tuple[ContentHolder, asyncio.Queue[list[object]]], content: Path
) -> None:
    holder, reloads = watching
    gc.unfreeze()
    append(content / "flows" / "main.yaml", EXTRA_NODE)
    assert await asyncio.wait_for(reloads.get(), timeout=10) == []
    assert "later" in holder.current.flows.nodes
    assert gc.get_freeze_count() > 0, "the new content was not kept out of full collections"


async def test_watcher_keeps_serving_when_the_change_is_broken(
    watching: tuple[ContentHolder, asyncio.Queue[list[object]]], content: Path
) -> None:
    holder, reloads = watching
    before = holder.current
    append(content / "flows" / "main.yaml", "  - id: welcome\n    title: A second welcome\n")
    problems = await asyncio.wait_for(reloads.get(), timeout=10)
    assert [str(p) for p in problems] == [
        'flows/main.yaml:25: node "welcome": duplicate node id (first defined at flows/main.yaml:2)'
    ]
    assert holder.current is before


async def test_sighup_reloads(watching: tuple[ContentHolder, asyncio.Queue[list[object]]]) -> None:
    _holder, reloads = watching
    os.kill(os.getpid(), signal.SIGHUP)
    assert await asyncio.wait_for(reloads.get(), timeout=10) == []


async def test_watcher_releases_sighup_when_it_stops(content: Path) -> None:
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL
    stop = asyncio.Event()
    task = asyncio.create_task(
        watch_content(holder_for(content), [content / "flows"], stop, interval=0.05)
    )
    await asyncio.sleep(0.1)
    assert signal.getsignal(signal.SIGHUP) != signal.SIG_DFL
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL


# -- conversations on a screen that disappeared ---------------------------------------------------


def test_button_of_a_vanished_screen_goes_to_the_main_menu_kindly(content: Path) -> None:
    holder = holder_for(content)
    localizer = holder.current.localizer
    state = ConversationState(locale="en", node="gone_screen", history=["main", "gone_screen"])
    new_state, replies = advance(
        holder.current.flows, state, Event.pressed("b:gone_screen:0"), localizer
    )
    assert new_state is not None
    assert new_state.node == "main"
    assert replies[0].text == ui.STALE_BUTTON
    assert replies[-1].text == "Choose a topic."


def test_a_screen_removed_by_a_reload_sends_its_visitors_to_the_main_menu(content: Path) -> None:
    holder = holder_for(content)
    localizer = holder.current.localizer
    state, _ = advance(
        holder.current.flows, ConversationState(locale="en"), Event.typed("/start"), localizer
    )
    state, _ = advance(holder.current.flows, state, Event.pressed("b:welcome:main"), localizer)
    state, _ = advance(holder.current.flows, state, Event.pressed("b:main:asylum"), localizer)
    assert state is not None and state.node == "asylum"
    path = content / "flows" / "main.yaml"
    text = path.read_text(encoding="utf-8")
    before_asylum = text[: text.index("  - id: asylum")]
    path.write_text(before_asylum.replace("goto: asylum", "goto: welcome"), encoding="utf-8")
    assert holder.reload() == []
    assert "asylum" not in holder.current.flows.nodes
    # The person presses "Sources" on the screen they still see.
    new_state, replies = advance(
        holder.current.flows, state, Event.pressed("src:asylum"), localizer
    )
    assert new_state is not None and new_state.node == "main"
    assert replies[0].text == ui.STALE_BUTTON
    # Or types something: no error, the main menu.
    new_state, replies = advance(holder.current.flows, state, Event.typed("hello"), localizer)
    assert new_state is not None and new_state.node == "main"
    assert replies[-1].text == "Choose a topic."
