"""The Bot API failing: flood control (429), server errors (500), timeouts, a hanging send.

The person gets every message of the screen, in order, once; the conversation moves on only to
a screen that was delivered or will be when Telegram delivers the update again; one person's
hanging send never holds up another person's answer.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from bot.settings import Settings
from tests.conftest import WEBHOOK_SECRET
from tests.delivery.conftest import database_view
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram, post_update


def post(base: str, fake: FakeTelegram, update: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = post_update(base, fake, update, WEBHOOK_SECRET)
    return response


def redeliver_until_answered(base: str, fake: FakeTelegram, update: dict[str, Any]) -> list[int]:
    """Post as Telegram does: again after every non-2xx answer. Returns the statuses seen."""
    statuses: list[int] = []
    for _ in range(6):
        statuses.append(post(base, fake, update).status_code)
        if statuses[-1] == 200:
            break
    return statuses


def test_flood_control_waits_and_resends_once(
    api_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = api_app
    fake_telegram.throttle("sendMessage", times=2, retry_after=1)
    assert (
        post(base, fake_telegram, updates.text("/start", "es-MX", user_id=1301)).status_code == 200
    )
    texts = [c.text for c in fake_telegram.sent()]
    assert fake_telegram.attempts.count("sendMessage") == 3, "refused twice, then sent"
    assert len(texts) == 3 and texts[0] == texts[1] == texts[2]
    # The fake records refused calls too (as before); what Telegram accepted is the last one.
    assert "no es asesoría legal" in texts[-1]


def test_server_errors_past_the_retries_answer_5xx_and_the_redelivery_sends_it_once(
    api_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, settings = api_app
    fake_telegram.fail_with("sendMessage", 500, times=6)
    update = updates.text("/start", "es-MX", user_id=1302)
    statuses = redeliver_until_answered(base, fake_telegram, update)
    assert statuses[0] == 503, "Telegram is told to deliver the update again"
    assert statuses[-1] == 200
    (welcome,) = fake_telegram.sent()
    assert "no es asesoría legal" in welcome.text, "the screen arrived, once"
    view = database_view(settings.effective_database_url)
    assert view["versions"] == [1] and view["counted"] == 1, "the turn ran once, not per retry"
    # The next tap continues from the screen the person saw.
    menu = updates.button(welcome.buttons[-1]["callback_data"], user_id=1302)
    assert post(base, fake_telegram, menu).status_code == 200
    assert len(fake_telegram.sent()) == 2


def test_a_timed_out_send_is_sent_again_once(
    api_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = api_app
    fake_telegram.hang("sendMessage", times=1, seconds=5)
    assert (
        post(base, fake_telegram, updates.text("/start", "es-MX", user_id=1303)).status_code == 200
    )
    fake_telegram.release()
    assert fake_telegram.attempts.count("sendMessage") == 2, "timed out once, then sent"
    (welcome,) = fake_telegram.sent()
    assert "no es asesoría legal" in welcome.text


def test_timeouts_past_the_retries_leave_the_answer_for_the_redelivery(
    api_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, settings = api_app
    fake_telegram.hang("sendMessage", times=4, seconds=3)
    update = updates.text("/menu", "es-MX", user_id=1304)
    statuses = redeliver_until_answered(base, fake_telegram, update)
    fake_telegram.release()
    assert statuses == [503, 200]
    (menu,) = fake_telegram.sent()
    assert "Asilo" in [b["text"] for b in menu.buttons]
    assert database_view(settings.effective_database_url)["counted"] == 1


def test_one_persons_hanging_send_does_not_hold_up_another(
    api_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = api_app
    fake_telegram.hang("sendMessage", times=1, seconds=30)
    first: list[int] = []
    stuck = threading.Thread(
        target=lambda: first.append(
            post(base, fake_telegram, updates.text("/start", "es-MX", user_id=1305)).status_code
        )
    )
    stuck.start()
    fake_telegram.wait_for(lambda f: "sendMessage" in f.attempts)  # the first send is hanging
    assert (
        post(base, fake_telegram, updates.text("/start", "es-MX", user_id=1306)).status_code == 200
    )
    assert stuck.is_alive(), "the second person was answered while the first send still hung"
    (answered,) = fake_telegram.sent()
    assert int(answered.params["chat_id"]) == 1306
    fake_telegram.release()
    stuck.join(timeout=30)
    assert first == [200], "and the first person got their answer too, after the timeout"
    assert sorted(int(c.params["chat_id"]) for c in fake_telegram.sent()) == [1305, 1306]


def test_a_person_who_blocked_the_bot_is_forgotten_when_a_send_says_so(
    api_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, settings = api_app
    assert (
        post(base, fake_telegram, updates.text("/start", "es-MX", user_id=1307)).status_code == 200
    )
    fake_telegram.failures["sendMessage"] = (403, "Forbidden: bot was blocked by the user")
    assert (
        post(base, fake_telegram, updates.text("/menu", "es-MX", user_id=1307)).status_code == 200
    )
    assert database_view(settings.effective_database_url)["conversations"] == 0
