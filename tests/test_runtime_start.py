"""What the running service takes from its settings, and what one turn guarantees."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
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


SERVE_AND_SCRAPE = """
import asyncio, sys
import httpx
from bot.app import create_app
from tests.conftest import make_settings
from pathlib import Path

TOKEN = sys.argv[2]

async def main(folder):
    settings = make_settings(
        folder, f"sqlite:///{folder / 'helpline.db'}", admin_token=TOKEN, metrics_token=TOKEN
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://helpline") as client:
            answered = await client.post("/api/chat", json={"text": "/start"})
            assert answered.status_code == 200, answered.status_code
            print(sorted({"alembic", "prometheus_client", "telegram"} & set(sys.modules)))
            auth = {"Authorization": "Bearer " + TOKEN}
            scraped = await client.get("/metrics", headers=auth)
            print(scraped.status_code, "helpline_content_nodes" in scraped.text)
            login = await client.get("/admin/login")
            print(login.status_code, "Admin token" in login.text)

asyncio.run(main(Path(sys.argv[1])))
"""


def test_a_restart_loads_no_admin_or_migration_library_until_asked(tmp_path: Path) -> None:
    """Alembic (a database at head), prometheus_client (nobody scraped yet) and, with Telegram
    off, python-telegram-bot are not imported by a start that answers a person; ``/metrics`` and
    the admin pages load theirs when asked."""
    token = "admin-and-metrics-Vb7Kq2Xw9Lm4Rt6Zp3Hc8Nd5"

    def start() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", SERVE_AND_SCRAPE, str(tmp_path), token],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO_ROOT,
        )
        return done.stdout.splitlines()

    first = start()
    assert first[1:] == ["200 True", "200 True"], "metrics and the login page work lazily"
    again = start()
    assert again[0] == "[]", "a restart at head, before any scrape, loads none of them"
    assert again[1:] == ["200 True", "200 True"]
