"""The privacy scan of tests/test_privacy.py over the failure paths: flood control, server
errors, timeouts, redeliveries, a locked database, updates of the wrong shape, a blocked bot.
Whatever fails, no table, database file or log line holds the person."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.logs import configure_logging
from bot.settings import Settings
from tests.conftest import WEBHOOK_SECRET
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram, post_update
from tests.test_privacy import TYPED, scan_for_identities


def test_no_identity_anywhere_after_every_failure_path(
    api_app: tuple[str, Settings],
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    base, settings = api_app
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)

    def post(update: dict[str, object]) -> int:
        return int(post_update(base, fake_telegram, update, WEBHOOK_SECRET).status_code)

    start = updates.text("/start", "es-MX")
    fake_telegram.throttle("sendMessage", times=1, retry_after=1)
    assert post(start) == 200
    assert post(start) == 200, "a redelivery"
    typed = updates.text(TYPED, "es-MX")
    fake_telegram.fail_with("sendMessage", 500, times=4)
    assert post(typed) == 503
    assert post(typed) == 200
    fake_telegram.hang("sendMessage", times=1, seconds=3)
    assert post(updates.contact("es-MX")) == 200
    fake_telegram.release()
    wrong = updates.text(TYPED, "es-MX")
    wrong["message"]["chat"]["id"] = [updates.USER_ID, updates.USERNAME]  # type: ignore[index]
    assert post(wrong) == 400
    if settings.effective_database_url.startswith("sqlite"):
        database = Path(settings.effective_database_url.removeprefix("sqlite:///"))
        blocker = sqlite3.connect(database, timeout=1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            assert post(updates.edited("Hernández", "es-MX")) == 503
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
    assert post(updates.button("nav:menu")) == 200
    fake_telegram.failures["sendMessage"] = (403, "Forbidden: bot was blocked by the user")
    assert post(updates.button("b:main:asylum")) == 200
    fake_telegram.failures.clear()
    assert post(updates.text("/start", "es-MX")) == 200, "a fresh conversation after the block"
    scan_for_identities(settings, caplog, capfd)
