"""At-least-once in, exactly-once effect: redelivered updates, one message per screen, the
webhook reply, and an answer that is only half sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from bot.channels.telegram import MESSAGE_LIMIT, utf16_length
from bot.settings import Settings
from tests.conftest import WEBHOOK_SECRET, make_settings
from tests.delivery.conftest import database_view
from tests.delivery.content import long_welcome_content
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram, post_update
from tests.support.live import serve


def post(base: str, fake: FakeTelegram, update: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = post_update(base, fake, update, WEBHOOK_SECRET)
    return response


def test_one_update_delivered_three_times_is_answered_once(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, settings = telegram_app
    update = updates.text("/start", "es-MX", user_id=1201)
    responses = [post(base, fake_telegram, update) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[0].json()["method"] == "sendMessage", "the answer rides on the response"
    assert not responses[1].content and not responses[2].content, "redeliveries get 200, nothing"
    (welcome,) = fake_telegram.sent()
    assert welcome.via == "webhook" and int(welcome.params["chat_id"]) == 1201
    view = database_view(settings.effective_database_url)
    assert view["counted"] == 1, "the turn was counted once"
    assert view["versions"] == [1], "the state was written once"
    assert view["marks"] == [(str(update["update_id"]), 1, False)], "the mark keeps ids only"


def test_a_screen_is_one_message_with_its_keyboard(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    response = post(base, fake_telegram, updates.text("/start", "es-MX", user_id=1202))
    (welcome,) = fake_telegram.sent()
    assert not fake_telegram.sent("sendMessage") or all(
        c.via == "webhook" for c in fake_telegram.sent()
    ), "the commonest turn calls nobody"
    assert "información general" in welcome.text and "no es asesoría legal" in welcome.text
    assert welcome.buttons, "the keyboard rides on the same message"
    assert "\n\n" in welcome.text, "paragraphs are joined with a blank line"
    assert response.json()["link_preview_options"] == {"is_disabled": True}
    api_calls = [m for m in fake_telegram.attempts if m == "sendMessage"]
    assert not api_calls


def test_a_long_screen_is_split_past_the_limit_and_redelivery_sends_nothing_more(
    tmp_path: Path, db_url: str, fake_telegram: FakeTelegram
) -> None:
    flows, locales = long_welcome_content(tmp_path / "content")
    settings = make_settings(tmp_path, db_url, fake_telegram, flows_dir=flows, locales_dir=locales)
    with serve(settings) as base:
        update = updates.text("/start", "es-MX", user_id=1203)
        for _ in range(3):
            assert post(base, fake_telegram, update).status_code == 200
    messages = fake_telegram.sent()
    assert [m.via for m in messages] == ["api", "webhook"], "first by the API, last in the reply"
    assert all(utf16_length(m.text) <= MESSAGE_LIMIT for m in messages)
    assert not messages[0].buttons and messages[1].buttons, "the keyboard is on the last piece"
    assert "información general" in messages[0].text
    view = database_view(settings.effective_database_url)
    assert view["marks"] == [(str(update["update_id"]), 2, False)], "delivered, outbox cleared"


def test_split_counts_utf16_code_units_as_telegram_does() -> None:
    from bot.channels.telegram import split_text

    emoji = "🏠"  # two UTF-16 code units
    text = emoji * 3000  # 3,000 characters, 6,000 units
    pieces = split_text(text)
    assert len(pieces) == 2 and all(utf16_length(p) <= MESSAGE_LIMIT for p in pieces)
    assert "".join(pieces) == text
