"""End to end through the Telegram webhook: a danger message typed on any screen gets the
emergency screen first — on the main menu, a topic screen, the calculator's date question, the
legal-aid state question, the danger question itself — in both languages and in many forms.

Screens are reached with the ``g:<node>`` payload the "Did you mean" buttons use, so a change to
a button's label does not break these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.settings import Settings
from tests.conftest import WEBHOOK_SECRET
from tests.support import updates
from tests.support.fake_telegram import Call, FakeTelegram, post_update

SCREENS = ["main", "asylum", "deadline", "legal_aid_state_other", "danger_check", "court"]
"""``deadline`` reads typed dates; ``legal_aid_state_other`` reads a typed US state."""

DANGER = [
    ("levantaron a mi hermano hace rato", "es-MX"),
    ("hay unos hombres armados afuera", "es-MX"),
    ("ya no quiero vivir", "es-MX"),
    ("they found me, they are outside", "en-US"),
    ("i want to end my life", "en-US"),
]


def _say(base: str, fake: FakeTelegram, update: dict[str, Any]) -> list[Call]:
    """Post an update as Telegram does (a method in the webhook's response is run on the fake
    Bot API, as Telegram would); it is answered before the webhook responds."""
    before = len(fake.sent())
    assert post_update(base, fake, update, WEBHOOK_SECRET).status_code == 200
    return fake.sent()[before:]


def _emergency_first(replies: list[Call]) -> bool:
    """The first bubble is the emergency screen's (its first line names 911)."""
    return bool(replies) and "911" in replies[0].text


@pytest.mark.parametrize("screen", SCREENS)
def test_danger_typed_on_any_screen_gets_the_emergency_screen_first(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram, screen: str
) -> None:
    base, _ = telegram_app
    for number, (text, code) in enumerate(DANGER):
        user = 7000 + SCREENS.index(screen) * 100 + number
        _say(base, fake_telegram, updates.text("/menu", code, user_id=user))
        there = _say(base, fake_telegram, updates.button(f"g:{screen}", code, user_id=user))
        assert not _emergency_first(there) or screen == "danger_check"
        replies = _say(base, fake_telegram, updates.text(text, code, user_id=user))
        assert _emergency_first(replies), (screen, text, [c.text for c in replies])


def test_fear_alone_asks_whether_in_danger_and_yes_leads_to_emergency(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    _say(base, fake_telegram, updates.text("/menu", "es-MX", user_id=7901))
    _say(base, fake_telegram, updates.button("g:deadline", "es-MX", user_id=7901))
    question = _say(base, fake_telegram, updates.text("tengo miedo", "es-MX", user_id=7901))
    assert "¿Está en peligro ahora mismo?" in "\n".join(c.text for c in question)
    yes = question[-1].buttons[0]["callback_data"]
    replies = _say(base, fake_telegram, updates.button(yes, "es-MX", user_id=7901))
    assert _emergency_first(replies)


def test_a_story_of_past_threats_gets_the_topic_not_the_alarm(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    _say(base, fake_telegram, updates.text("/menu", "en-US", user_id=7902))
    replies = _say(
        base,
        fake_telegram,
        updates.text("the cartel threatened me last year, can I get asylum?", "en-US", 7902),
    )
    assert not _emergency_first(replies)
    assert "911" not in replies[0].text
