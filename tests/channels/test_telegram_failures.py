"""Telegram when things go wrong: the Bot API refuses a call, or a body is not an update."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from telegram.error import TelegramError

from bot.app import create_app
from bot.settings import Settings
from bot.store.database import create_engine_for
from bot.store.models import ConversationRow
from tests.conftest import WEBHOOK_SECRET, make_settings
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}


def post(base: str, update: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{base}/telegram/webhook", json=update, headers=HEADERS, timeout=10)


async def _stored_conversations(url: str) -> int:
    engine = create_engine_for(url)
    async with engine.connect() as connection:
        count = (
            await connection.execute(select(func.count()).select_from(ConversationRow))
        ).scalar_one()
    await engine.dispose()
    return int(count)


def stored_conversations(settings: Settings) -> int:
    return asyncio.run(_stored_conversations(settings.effective_database_url))


def wait_until(condition: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


def test_a_person_who_blocked_the_bot_is_forgotten_at_once(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, settings = telegram_app
    assert post(base, updates.text("/start", "es-MX", user_id=911)).status_code == 200
    fake_telegram.wait_for(lambda f: len(f.sent()) > 0)
    assert wait_until(lambda: stored_conversations(settings) == 1), "the conversation is kept"

    fake_telegram.failures["sendMessage"] = (403, "Forbidden: bot was blocked by the user")
    sent = len(fake_telegram.sent())
    assert post(base, updates.text("/menu", "es-MX", user_id=911)).status_code == 200
    fake_telegram.wait_for(lambda f: len(f.sent()) > sent)
    assert wait_until(lambda: stored_conversations(settings) == 0), (
        "nobody can read this chat any more: its state is erased, not kept until it expires"
    )


def test_a_press_is_answered_even_when_its_spinner_cannot_be_stopped(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    fake_telegram.failures["answerCallbackQuery"] = (
        400,
        "Bad Request: query is too old and response timeout expired or query id is invalid",
    )
    assert post(base, updates.button("nav:menu", "es-MX", user_id=912)).status_code == 200
    fake_telegram.wait_for(lambda f: len(f.sent()) > 0)
    (menu,) = fake_telegram.wait_for_messages(1)
    assert fake_telegram.sent("answerCallbackQuery"), "the acknowledgement was tried"
    assert "Asilo" in [b["text"] for b in menu.buttons], "the press still got the main menu"


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"update_id": 1, "message": "not an object"}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 1e40, "chat": {"id": 1, "type": "private"}}}',
        b'{"update_id": 1, "callback_query": {"id": "1", "from": 7, "chat_instance": "x"}}',
    ],
    ids=["nested-too-deep", "message-not-object", "date-overflow", "user-not-object"],
)
def test_bodies_that_are_not_updates_get_400_never_500(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram, body: bytes
) -> None:
    base, _ = telegram_app
    response = httpx.post(f"{base}/telegram/webhook", content=body, headers=HEADERS, timeout=10)
    assert response.status_code == 400
    assert not fake_telegram.sent()


async def test_a_failed_start_stops_what_it_had_started(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.failures["setWebhook"] = (
        400,
        "Bad Request: bad webhook: HTTPS url must be provided",
    )
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'helpline.db'}", fake_telegram)
    app = create_app(settings)
    before = asyncio.all_tasks()
    with pytest.raises(TelegramError):
        async with app.router.lifespan_context(app):
            pass
    await asyncio.sleep(0)
    left = {t for t in asyncio.all_tasks() - before if not t.done()}
    assert not left, f"background tasks still running after a failed start: {left}"


def test_flood_control_waits_and_resends_instead_of_losing_replies(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    fake_telegram.throttle("sendMessage", times=2, retry_after=1)
    assert post(base, updates.text("/start", "es-MX", user_id=913)).status_code == 200
    fake_telegram.wait_for(lambda f: any(c.buttons for c in f.sent()), timeout=20)
    texts = [c.text for c in fake_telegram.sent()]
    assert texts.count(texts[0]) == 3, "the first bubble was refused twice, then sent once allowed"
    assert len(set(texts)) >= 3, "every later bubble of the turn was sent too"
    assert any("no es asesoría legal" in t for t in texts)


def test_a_passing_network_fault_does_not_cut_an_answer_short(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    fake_telegram.fail_transiently("sendMessage", times=2)
    assert post(base, updates.text("/start", "es-MX", user_id=914)).status_code == 200
    fake_telegram.wait_for(lambda f: any(c.buttons for c in f.sent()), timeout=20)
    texts = [c.text for c in fake_telegram.sent()]
    assert texts.count(texts[0]) == 3, "the first bubble failed twice with 502, then went through"
    assert any("no es asesoría legal" in t for t in texts), "and the rest of the turn followed"
