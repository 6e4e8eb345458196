"""Telegram when things go wrong: the Bot API refuses a call, or a body is not an update."""

from __future__ import annotations

import asyncio
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
from tests.support.fake_telegram import FakeTelegram, post_update

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}


def post(base: str, fake: FakeTelegram, update: dict[str, object]) -> httpx.Response:
    """Post as Telegram does, running a webhook reply on the fake Bot API."""
    response: httpx.Response = post_update(base, fake, update, WEBHOOK_SECRET)
    return response


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


def test_a_person_who_blocked_the_bot_is_forgotten_at_once(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, settings = telegram_app
    assert (
        post(base, fake_telegram, updates.text("/start", "es-MX", user_id=911)).status_code == 200
    )
    assert fake_telegram.sent(), "answered"
    assert stored_conversations(settings) == 1, "the conversation is kept"
    bot = {"id": 7000001, "is_bot": True, "first_name": "Helpline"}
    blocked = {
        "update_id": 990001,
        "my_chat_member": {
            "chat": {"id": 911, "type": "private"},
            "from": {"id": 911, "is_bot": False, "first_name": "X"},
            "date": 1,
            "old_chat_member": {"status": "member", "user": bot},
            "new_chat_member": {"status": "kicked", "until_date": 0, "user": bot},
        },
    }
    assert post(base, fake_telegram, blocked).status_code == 200
    assert stored_conversations(settings) == 0, (
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
    press = updates.button("nav:menu", "es-MX", user_id=912)
    assert post(base, fake_telegram, press).status_code == 200
    (menu,) = fake_telegram.sent()
    fake_telegram.wait_for(lambda f: bool(f.sent("answerCallbackQuery")))  # it was tried
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


# Flood control, 5xx and timeouts of the Bot API: tests/delivery/test_bot_api_faults.py
