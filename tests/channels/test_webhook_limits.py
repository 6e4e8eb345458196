"""Wrong webhook secrets are counted per address; past the limit the address is refused."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from bot.logs import configure_logging
from tests.conftest import WEBHOOK_SECRET, make_settings
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram
from tests.support.live import serve
from tests.support.privacy import scan


def test_wrong_webhook_secrets_are_counted_and_then_refused(
    tmp_path: Path, fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    settings = make_settings(
        tmp_path,
        f"sqlite:///{tmp_path / 'helpline.db'}",
        fake_telegram,
        webhook_secret_failures_per_hour=5,
    )
    with serve(settings) as base, httpx.Client(base_url=base) as client:
        good = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        assert (
            client.post("/telegram/webhook", json=updates.text("/start"), headers=good).status_code
            == 200
        )
        guesses = [
            client.post(
                "/telegram/webhook",
                json=updates.text("/start"),
                headers={"X-Telegram-Bot-Api-Secret-Token": f"guess-{n}"},
            ).status_code
            for n in range(8)
        ]
        after = client.post("/telegram/webhook", json=updates.text("/start"), headers=good)
    assert guesses == [403] * 5 + [429] * 3
    assert after.status_code == 429 and after.headers["retry-after"], (
        "the right secret from that address waits too, so guessing learns nothing"
    )
    assert "refused (5 from there)" in caplog.text, "the failures are counted in the log"
    scan(settings, [str(updates.USER_ID), updates.USERNAME], caplog, stored_only=["127.0.0.1"])
