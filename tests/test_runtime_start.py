"""What the running service takes from its settings, and what one turn guarantees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.app import create_app
from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.directory.search import Directory
from bot.engine.types import Event
from bot.runtime import Runtime
from bot.settings import REPO_ROOT
from bot.store.states import ConversationKeys, MemoryStateStore
from tests.conftest import make_settings


async def test_content_limits_from_the_settings_reach_the_running_service(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        f"sqlite:///{tmp_path / 'helpline.db'}",
        legal_aid_warn_days=90,
        legal_aid_hide_days=200,
        content_review_max_days=365,
        language_min_coverage=0.5,
        content_watch_seconds=0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        directory = runtime.content.current.services.directory
        assert isinstance(directory, Directory)
        assert (directory.warn_days, directory.hide_days) == (90, 200), (
            "LEGAL_AID_WARN_DAYS / LEGAL_AID_HIDE_DAYS decide which organizations people see"
        )
        assert runtime.content.min_coverage == 0.5
        assert runtime.content.review_max_days == 365


class BrokenCounters:
    """Counters whose database is gone."""

    async def add(
        self, day: dt.date, channel: str, locale: str, node: str, amount: int = 1
    ) -> None:
        raise ConnectionError("counter table unavailable")

    async def all(self) -> list[tuple[tuple[dt.date, str, str, str], int]]:
        return []


async def test_a_failing_counter_never_costs_a_person_the_answer() -> None:
    holder = ContentHolder(REPO_ROOT / "flows", REPO_ROOT / "locales", ["es", "en"])
    states = MemoryStateStore()
    conversations = Conversations(holder, ConversationKeys(b"k" * 32), states, BrokenCounters())
    answer = await conversations.answer("web", "session", Event.typed("/menu", "es-MX"))
    assert answer.locale == "es"
    assert any(b.payload == "b:main:asylum" for r in answer.replies for b in r.buttons), (
        "the main menu was answered"
    )
    assert len(states.rows) == 1, "and the conversation moved on"
