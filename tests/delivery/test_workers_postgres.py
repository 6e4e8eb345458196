"""Two workers (``python -m bot run --workers 2``) on PostgreSQL, 50 updates for one chat at once:
no state change lost, no message duplicated, every turn counted once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import WEBHOOK_SECRET
from tests.delivery.conftest import database_view
from tests.support import updates
from tests.support.databases import fresh_postgres
from tests.support.fake_telegram import FakeTelegram, post_update
from tests.support.process import running, service_env

UPDATES = 50


def deliver(base: str, fake: FakeTelegram, update: dict[str, Any]) -> list[int]:
    """Telegram's way: post, and post again after a non-2xx answer or a broken connection."""
    statuses: list[int] = []
    for _ in range(20):
        try:
            statuses.append(int(post_update(base, fake, update, WEBHOOK_SECRET).status_code))
        except httpx.TransportError:
            statuses.append(0)
        if statuses[-1] == 200:
            break
    return statuses


@pytest.mark.postgres
def test_two_workers_fifty_simultaneous_updates_for_one_chat(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    with fresh_postgres() as url:
        env = service_env(tmp_path, url, fake_telegram.url)
        with running(env, tmp_path / "service.log", workers=2) as service:
            first = updates.text("/menu", "es-MX", user_id=1501)
            assert deliver(service.base, fake_telegram, first)[-1] == 200
            presses = [updates.button("nav:menu", user_id=1501) for _ in range(UPDATES - 1)]
            with ThreadPoolExecutor(max_workers=UPDATES) as pool:
                results = list(pool.map(lambda u: deliver(service.base, fake_telegram, u), presses))
                assert all(r[-1] == 200 for r in results), "every update was answered"
                # Telegram delivering all of them once more changes nothing.
                again = list(pool.map(lambda u: deliver(service.base, fake_telegram, u), presses))
            assert all(r == [200] for r in again)
            pids = {
                line
                for line in service.log.read_text().splitlines()
                if "Started server process" in line
            }
        messages = fake_telegram.sent()
        assert len(messages) == UPDATES, "one answer per update: none lost, none twice"
        assert all("Asilo" in [b["text"] for b in m.buttons] for m in messages)
        view = database_view(url)
        assert view["versions"] == [UPDATES], "each turn was saved on top of the one before"
        assert view["counted"] == UPDATES, "and counted once"
        assert len(view["marks"]) == UPDATES
        assert len(pids) >= 2, "two worker processes served"
