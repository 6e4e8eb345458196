"""Statistics count people's turns: a reload of the same screen is not a new view."""

from __future__ import annotations

import datetime as dt

from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.engine.types import Event
from bot.settings import REPO_ROOT
from bot.store.counters import MemoryCounters
from bot.store.states import ConversationKeys, MemoryStateStore


def conversations() -> tuple[Conversations, MemoryCounters]:
    counters = MemoryCounters()
    holder = ContentHolder(REPO_ROOT / "flows", REPO_ROOT / "locales", ["es", "en"])
    return (
        Conversations(
            content=holder,
            keys=ConversationKeys(b"test"),
            states=MemoryStateStore(ttl=dt.timedelta(hours=1)),
            counters=counters,
        ),
        counters,
    )


async def views(counters: MemoryCounters) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (_day, _channel, _locale, node), count in await counters.all():
        totals[node] = totals.get(node, 0) + count
    return totals


async def test_reloads_of_the_same_screen_are_not_counted() -> None:
    talk, counters = conversations()
    here = Event.pressed("nav:here", "es-MX")
    await talk.answer("web", "a-browser-token-000000000", here)  # the first view counts
    for _ in range(5):
        await talk.answer("web", "a-browser-token-000000000", here)  # reloads do not
    assert await views(counters) == {"welcome": 1}
    await talk.answer("web", "a-browser-token-000000000", Event.pressed("b:welcome:main"))
    await talk.answer("web", "a-browser-token-000000000", here)
    await talk.answer("web", "a-browser-token-000000000", Event.typed("/menu"))
    assert await views(counters) == {"welcome": 1, "main": 2}, "a turn to a screen counts"


async def test_erasing_answers_in_the_language_it_was_asked_in() -> None:
    talk, _ = conversations()
    await talk.answer("web", "another-browser-token-0000", Event.typed("/start", "en-US"))
    answer = await talk.answer("web", "another-browser-token-0000", Event.typed("/delete"))
    assert answer.erased and answer.locale == "en"
