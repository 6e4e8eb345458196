"""The service killed with SIGKILL in the middle of a turn, then started again: the update that
Telegram delivers again is answered once and completely.

These run the real command (``python -m bot run``) as a process, so it can be killed for real.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import WEBHOOK_SECRET
from tests.delivery.conftest import database_view
from tests.delivery.content import long_welcome_content
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram, post_update
from tests.support.process import running, service_env


def post_in_background(base: str, fake: FakeTelegram, update: dict[str, Any]) -> threading.Thread:
    """Post as Telegram does, in a thread; the connection dies with the service."""

    def work() -> None:
        # The service is killed: Telegram gets no 200, so it will deliver the update again.
        with contextlib.suppress(httpx.HTTPError):
            post_update(base, fake, update, WEBHOOK_SECRET, timeout=60)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def assert_no_identity(path: Path, chat_id: str) -> None:
    """The crashed and restarted service's log (or database file) names nobody."""
    content = path.read_bytes()
    for identity in (chat_id, updates.USERNAME, updates.FIRST_NAME, updates.LAST_NAME):
        assert identity.encode() not in content, f"{identity!r} in {path.name}"


def redeliver(base: str, fake: FakeTelegram, update: dict[str, Any]) -> int:
    """Telegram's redelivery: again after every non-2xx answer (a lease may still be held)."""
    for _ in range(40):
        status = int(post_update(base, fake, update, WEBHOOK_SECRET).status_code)
        if status == 200:
            return status
        time.sleep(0.5)
    return status


def test_killed_before_the_200_the_redelivered_update_is_answered_once(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    database = tmp_path / "data" / "helpline.db"
    env = service_env(tmp_path, f"sqlite:///{database}", fake_telegram.url)
    update = updates.text("/start", "es-MX", user_id=98761401)
    log = tmp_path / "service.log"
    with running(env, log) as service:
        blocker = sqlite3.connect(database, timeout=1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # the turn now waits for the database, mid-turn
        poster = post_in_background(service.base, fake_telegram, update)
        time.sleep(1.0)  # let the request reach the database (not a timing assertion)
        service.kill()
        blocker.execute("ROLLBACK")
        blocker.close()
        poster.join(timeout=30)
    assert not fake_telegram.sent(), "nothing was answered before the kill"
    assert database_view(f"sqlite:///{database}")["marks"] == [], "and nothing half-written"
    with running(env, log) as service:
        assert redeliver(service.base, fake_telegram, update) == 200
        assert post_update(service.base, fake_telegram, update, WEBHOOK_SECRET).status_code == 200
    (welcome,) = fake_telegram.sent()
    assert "no es asesoría legal" in welcome.text and welcome.buttons, "complete, and once"
    assert database_view(f"sqlite:///{database}")["counted"] == 1
    assert_no_identity(log, "98761401")


def test_killed_while_a_screen_is_half_sent_the_redelivery_sends_only_the_rest(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    flows, locales = long_welcome_content(tmp_path / "content", paragraphs=3)
    database = tmp_path / "data" / "helpline.db"
    env = service_env(
        tmp_path,
        f"sqlite:///{database}",
        fake_telegram.url,
        FLOWS_DIR=str(flows),
        LOCALES_DIR=str(locales),
        DELIVERY_LEASE_SECONDS="2",
    )
    update = updates.text("/start", "es-MX", user_id=98761402)
    log = tmp_path / "service.log"
    with running(env, log) as service:
        fake_telegram.hang("sendMessage", times=1, seconds=60, after=1)  # the 2nd message hangs
        poster = post_in_background(service.base, fake_telegram, update)
        fake_telegram.wait_for(lambda f: f.attempts.count("sendMessage") == 2, timeout=30)
        service.kill()
        fake_telegram.release()
        poster.join(timeout=30)
    (first,) = fake_telegram.sent()
    assert "información general" in first.text, "the first message went out before the kill"
    with running(env, log) as service:
        assert redeliver(service.base, fake_telegram, update) == 200
        assert post_update(service.base, fake_telegram, update, WEBHOOK_SECRET).status_code == 200
    messages = fake_telegram.sent()
    assert len(messages) == 3, "every message once: the first is not sent again"
    assert [m.via for m in messages] == ["api", "api", "webhook"]
    assert messages[0].text != messages[1].text != messages[2].text
    assert "Línea 1.0" in messages[1].text and messages[2].buttons, "in order, keyboard last"
    view = database_view(f"sqlite:///{database}")
    assert view["counted"] == 1 and view["versions"] == [1], "the turn ran once"
    assert view["marks"] == [(str(update["update_id"]), 3, False)], "the outbox was cleared"
    assert_no_identity(log, "98761402")
    assert_no_identity(database, "98761402")


def test_sigterm_while_the_bot_api_hangs_ends_the_process_and_the_turn_is_not_lost(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    database = tmp_path / "data" / "helpline.db"
    env = service_env(
        tmp_path,
        f"sqlite:///{database}",
        fake_telegram.url,
        TELEGRAM_REPLY_IN_WEBHOOK="false",
        DELIVERY_LEASE_SECONDS="2",
    )
    update = updates.text("/start", "es-MX", user_id=98761403)
    log = tmp_path / "service.log"
    with running(env, log) as service:
        fake_telegram.hang("sendMessage", times=100, seconds=300)
        poster = post_in_background(service.base, fake_telegram, update)
        fake_telegram.wait_for(lambda f: "sendMessage" in f.attempts, timeout=30)
        service.process.send_signal(15)  # SIGTERM to the server process
        service.process.wait(timeout=60)  # bounded shutdown: it ends on its own
        assert service.process.returncode is not None
        poster.join(timeout=30)
    fake_telegram.release()
    fake_telegram.hangs.clear()
    assert not fake_telegram.sent()
    with running(env, log) as service:
        assert redeliver(service.base, fake_telegram, update) == 200
    (welcome,) = fake_telegram.sent()
    assert "no es asesoría legal" in welcome.text, "Telegram's redelivery got the answer out"
