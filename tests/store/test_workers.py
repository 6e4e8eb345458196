"""Several workers on one database: every answer counted, none lost, no state overwritten."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.engine.types import Event
from bot.settings import Settings
from bot.store.counters import SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.states import ConversationKeys, SqlStateStore
from tests.conftest import make_settings


async def test_four_workers_sharing_one_database_lose_no_turn(tmp_path: Path, db_url: str) -> None:
    settings: Settings = make_settings(tmp_path, db_url)
    await asyncio.to_thread(migrate, db_url)
    holder = ContentHolder(settings.flows_dir, settings.locales_dir, settings.language_list)
    engines = [create_engine_for(db_url) for _ in range(4)]
    workers = [
        Conversations(
            content=holder,
            keys=ConversationKeys(b"shared-secret"),
            states=SqlStateStore(session_factory(engine), dt.timedelta(hours=1)),
            counters=SqlCounters(session_factory(engine)),
        )
        for engine in engines
    ]
    await workers[0].handle("web", "same-person", Event.typed("/menu", "es"))
    presses = [
        workers[i % 4].handle("web", "same-person", Event.pressed("nav:menu", "es"))
        for i in range(24)
    ]
    results = await asyncio.gather(*presses)
    assert all(replies for replies in results), "every press was answered"
    counts = dict(await workers[1].counters.all())
    total = sum(n for (day, channel, locale, node), n in counts.items() if node == "main")
    assert total == 25, "every turn was counted once, even when workers collided and retried"
    for engine in engines:
        await engine.dispose()
