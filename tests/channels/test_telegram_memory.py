"""After 300 updates from 300 people, the Telegram channel (python-telegram-bot's objects
included) holds none of their chat or user ids."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from bot.app import create_app
from bot.logs import configure_logging
from tests.conftest import WEBHOOK_SECRET, make_settings
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram, post_update
from tests.support.live import serve
from tests.support.privacy import reachable_values, scan

PEOPLE = 300
FIRST_ID = 730_000_001


def test_no_chat_or_user_id_stays_in_memory_after_300_updates(
    tmp_path: Path,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'helpline.db'}", fake_telegram)
    app = create_app(settings)
    ids = set(range(FIRST_ID, FIRST_ID + PEOPLE))
    with serve(settings, app) as base:
        for number, user_id in enumerate(sorted(ids)):
            update = (
                updates.text("/start", "es-MX", user_id=user_id)
                if number % 2
                else updates.button("nav:menu", "es-MX", user_id=user_id)
            )
            assert post_update(base, fake_telegram, update, WEBHOOK_SECRET).status_code == 200
        fake_telegram.wait_for(lambda f: {int(c.params["chat_id"]) for c in f.sent()} >= ids, 60)
        channel = app.state.runtime.telegram
        assert channel is not None, "the Telegram channel is on"
        texts = {str(i) for i in ids}
        deadline = time.monotonic() + 10
        while True:  # the last update may still be finishing after its answer went out
            held = reachable_values(channel, ids, texts)
            if not held or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert not held, f"{len(held)} of {PEOPLE} ids still reachable from the Telegram channel"
        held = reachable_values(app.state.runtime, ids, texts)
        assert not held, f"{len(held)} of {PEOPLE} ids still reachable from the service"
    scan(settings, [str(i) for i in sorted(ids)[:20]] + [updates.USERNAME], caplog, capfd)
