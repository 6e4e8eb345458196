"""The database failing (5xx, nothing half-written), updates of the wrong shape (400 before
anything reads them, and processing goes on), stalled and abandoned request bodies."""

from __future__ import annotations

import logging
import socket
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

import bot.bodies
from bot.settings import Settings
from tests.conftest import WEBHOOK_SECRET, make_settings
from tests.delivery.conftest import database_view
from tests.support import updates
from tests.support.databases import POSTGRES_ADMIN, fresh_postgres
from tests.support.fake_telegram import FakeTelegram, post_update
from tests.support.live import serve

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}


def post(base: str, fake: FakeTelegram, update: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = post_update(base, fake, update, WEBHOOK_SECRET)
    return response


def test_a_locked_sqlite_database_answers_5xx_and_writes_nothing(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    database = tmp_path / "helpline.db"
    settings = make_settings(tmp_path, f"sqlite:///{database}", fake_telegram)
    update = updates.text("/start", "es-MX", user_id=1601)
    with serve(settings) as base:
        blocker = sqlite3.connect(database, timeout=1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            response = post(base, fake_telegram, update)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert response.status_code == 503, "Telegram will deliver it again"
        assert not fake_telegram.sent()
        view = database_view(settings.effective_database_url)
        assert view["marks"] == [] and view["conversations"] == 0 and view["counted"] == 0
        assert post(base, fake_telegram, update).status_code == 200
        assert len(fake_telegram.sent()) == 1, "the redelivery is answered, once"


@pytest.mark.postgres
def test_postgres_gone_answers_5xx(tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    with fresh_postgres() as url:
        settings = make_settings(tmp_path, url, fake_telegram)
        with serve(settings) as base:
            assert (
                post(base, fake_telegram, updates.text("/start", user_id=1602)).status_code == 200
            )
            name = url.rsplit("/", 1)[-1]
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            response = post(base, fake_telegram, updates.text("/menu", user_id=1602))
            assert response.status_code == 503
            assert len(fake_telegram.sent()) == 1, "nothing was sent for the failed turn"
            assert httpx.get(f"{base}/readyz").status_code == 503, "and the service says so"
            assert httpx.get(f"{base}/livez").status_code == 200


def _private_message(**overrides: Any) -> dict[str, Any]:
    update = updates.text("hola", "es-MX", user_id=1603)
    update["message"].update(overrides)
    return update


@pytest.mark.parametrize(
    "update",
    [
        _private_message(chat={"id": [1603], "type": "private"}),
        _private_message(chat={"id": "abc", "type": "private"}),
        _private_message(chat={"id": True, "type": "private"}),
        _private_message(chat=None),
        _private_message(text=["not", "a", "string"]),
        _private_message(text={"t": 1}),
        {"update_id": "12", "message": _private_message()["message"]},
        {"update_id": 13, "callback_query": {"id": 5, "from": {"id": 1}, "data": "nav:menu"}},
        {"update_id": 14, "callback_query": {"id": "5", "from": {"id": 1}, "data": 7}},
    ],
    ids=[
        "chat-id-list",
        "chat-id-string",
        "chat-id-bool",
        "no-chat",
        "text-list",
        "text-object",
        "update-id-string",
        "query-id-number",
        "data-number",
    ],
)
def test_updates_of_the_wrong_shape_get_400_and_processing_goes_on(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram, update: dict[str, Any]
) -> None:
    base, _ = telegram_app
    assert post(base, fake_telegram, update).status_code == 400
    assert not fake_telegram.sent()
    assert httpx.get(f"{base}/readyz").status_code == 200, "nothing stopped"
    assert post(base, fake_telegram, updates.text("/start", user_id=1604)).status_code == 200
    assert len(fake_telegram.sent()) == 1, "the next update is answered"


def test_readyz_livez_and_healthz(telegram_app: tuple[str, Settings]) -> None:
    base, _ = telegram_app
    ready = httpx.get(f"{base}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "database": True,
        "content": True,
        "telegram": True,
        "classifier": True,
    }, "tests train the classifier before the port opens (make_settings)"
    assert httpx.get(f"{base}/livez").json() == {"status": "ok"}
    assert httpx.get(f"{base}/healthz").json()["status"] == "ok"


def test_a_stalled_body_times_out_and_a_vanished_client_is_one_line(
    tmp_path: Path,
    fake_telegram: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(bot.bodies, "BODY_CHUNK_SECONDS", 0.5)
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'h.db'}", fake_telegram)
    caplog.set_level(logging.INFO)
    with serve(settings) as base:
        port = int(base.rsplit(":", 1)[-1])
        head = (
            "POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\n"
            "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as stalled:
            stalled.sendall(head + b'{"update_id": 1, ')
            answer = stalled.recv(1000)
        assert answer.startswith(b"HTTP/1.1 408"), "a body that never finishes is timed out"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as leaving:
            leaving.sendall(head + b'{"update_id": 2, ')
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
            "disconnected" in r.getMessage() or "stalled" in r.getMessage()
            for r in caplog.records
            if r.name == "bot.bodies" and "408" not in r.getMessage()
        ):
            time.sleep(0.05)
        assert httpx.get(f"{base}/readyz").status_code == 200
    lines = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not lines, "no traceback for a client that left"
    body_lines = [r.getMessage() for r in caplog.records if r.name == "bot.bodies"]
    assert len(body_lines) == 2, body_lines
