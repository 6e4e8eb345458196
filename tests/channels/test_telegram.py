"""End to end: Telegram update JSON posted to our webhook, replies recorded by the fake Bot API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.channels.telegram import ALLOWED_UPDATES
from bot.settings import Settings
from tests.conftest import WEBHOOK_SECRET, make_settings
from tests.support import updates
from tests.support.fake_telegram import Call, FakeTelegram, post_update

_fake: list[FakeTelegram] = []


@pytest.fixture(autouse=True)
def _remember_fake(fake_telegram: FakeTelegram) -> None:
    _fake[:] = [fake_telegram]


def post(base: str, update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> httpx.Response:
    """Post as Telegram does (running a webhook reply on the fake Bot API, as Telegram would)."""
    response: httpx.Response = post_update(base, _fake[0], update, secret)
    return response


def say(base: str, fake: FakeTelegram, update: dict[str, Any]) -> list[Call]:
    """Post an update and return the messages it caused: the update is answered before the
    webhook responds, so they are all there when it does."""
    before = len(fake.sent())
    assert post(base, update).status_code == 200
    return fake.sent()[before:]


def labels(calls: list[Call]) -> list[str]:
    return [b["text"] for c in calls for b in c.buttons]


def payload_of(calls: list[Call], label: str) -> str:
    for call in calls:
        for b in call.buttons:
            if b["text"] == label:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {labels(calls)}")


def test_startup_sets_webhook_with_secret_and_allowed_updates(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    assert fake_telegram.sent("getMe"), "python-telegram-bot initialised against the fake server"
    (webhook,) = fake_telegram.sent("setWebhook")
    assert webhook.params["url"] == "https://helpline.example.org/telegram/webhook"
    assert webhook.params["secret_token"] == WEBHOOK_SECRET
    assert webhook.params["allowed_updates"] == ALLOWED_UPDATES


def _commands(call: Call) -> list[str]:
    listed = call.params["commands"]
    return [c["command"] for c in (json.loads(listed) if isinstance(listed, str) else listed)]


def test_the_command_menu_is_set_after_the_start_in_each_language(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    """Set in the background once the webhook is (the start does not wait for three more round
    trips): Spanish, English, and English for every other language."""
    fake_telegram.wait_for(lambda fake: len(fake.sent("setMyCommands")) >= 3)
    menus = {
        c.params.get("language_code"): _commands(c) for c in fake_telegram.sent("setMyCommands")
    }
    assert set(menus) == {"es", "en", None}
    assert menus["es"][0] == "peligro" and menus["en"][0] == menus[None][0] == "danger"


async def test_the_start_does_not_wait_for_the_command_menu(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    """A Bot API that takes its time over the menu (here it hangs) holds back neither the start
    nor the first answer."""
    fake_telegram.hang("setMyCommands", times=3, seconds=60)
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'helpline.db'}", fake_telegram)
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            runtime = app.state.runtime
            assert runtime.ready
            assert runtime.telegram.tasks, "the menu is still being set, in the background"
            body = json.dumps(updates.text("/start", "es-MX")).encode()
            assert (await runtime.telegram.handle(body)).status_code == 200
            assert fake_telegram.sent("setMyCommands") == [], "the menu is still hanging"
            fake_telegram.release()
    finally:
        fake_telegram.release()


def test_start_in_spanish_from_es_mx(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    replies = say(base, fake_telegram, updates.text("/start", "es-MX"))
    assert all(int(c.params["chat_id"]) == updates.USER_ID for c in replies)
    joined = "\n".join(c.text for c in replies)
    assert "información general" in joined
    assert "no es asesoría legal" in joined
    assert "Please choose" not in joined


def test_start_in_english_from_en_us(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    replies = say(base, fake_telegram, updates.text("/start", "en-US", user_id=555))
    joined = "\n".join(c.text for c in replies)
    assert "general information, not legal advice" in joined
    assert "asesoría" not in joined


def test_unknown_language_asks_in_both_languages_and_remembers_choice(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    (choice,) = say(base, fake_telegram, updates.text("/start", "fr-FR", user_id=556))
    assert (
        "Por favor, elija su idioma." in choice.text
        and "Please choose your language." in choice.text
    )
    assert labels([choice]) == ["Español", "English"]
    replies = say(
        base, fake_telegram, updates.button(payload_of([choice], "English"), "fr-FR", user_id=556)
    )
    assert "general information, not legal advice" in "\n".join(c.text for c in replies)
    replies = say(base, fake_telegram, updates.text("/menu", "fr-FR", user_id=556))
    assert "What would you like to know about?" in replies[-1].text


def test_buttons_walk_the_menu_and_answer_the_callback(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    replies = say(base, fake_telegram, updates.text("/menu", "es-MX"))
    menu = replies[-1]
    assert "Asilo" in labels([menu])
    asylum = say(base, fake_telegram, updates.button(payload_of([menu], "Asilo")))
    fake_telegram.wait_for(lambda f: bool(f.sent("answerCallbackQuery")))  # every press is acked
    text = "\n".join(c.text for c in asylum)
    assert "asilo" in text.lower()
    assert "Información revisada el 1 de diciembre de 2026" in text
    assert {"⬅ Atrás", "🏠 Menú principal", "📚 Fuentes"} <= set(labels(asylum))
    back = say(base, fake_telegram, updates.button("nav:back"))
    assert "Asilo" in labels(back)


def test_language_switch_at_any_time(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    say(base, fake_telegram, updates.text("/start", "es-MX"))
    (choice,) = say(base, fake_telegram, updates.text("/language", "es-MX"))
    replies = say(base, fake_telegram, updates.button(payload_of([choice], "English")))
    assert "general information" in "\n".join(c.text for c in replies)
    replies = say(base, fake_telegram, updates.text("/menu", "es-MX"))
    assert "What would you like to know about?" in replies[-1].text, (
        "the choice beats language_code"
    )
    (choice,) = say(base, fake_telegram, updates.text("/idioma", "es-MX"))
    replies = say(base, fake_telegram, updates.button(payload_of([choice], "Español")))
    assert "¿Sobre qué quiere saber?" in replies[-1].text


def test_delete_erases_and_confirms_in_both_languages(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    say(base, fake_telegram, updates.text("/start", "es-MX"))
    (done,) = say(base, fake_telegram, updates.text("/borrar", "es-MX"))
    assert done.text.startswith("Listo. Borré todo")
    say(base, fake_telegram, updates.text("/start", "en-US", user_id=777))
    (done,) = say(base, fake_telegram, updates.text("/delete", "en-US", user_id=777))
    assert done.text.startswith("Done. I erased everything")


@pytest.mark.parametrize(
    "media", [updates.sticker, updates.photo, updates.voice], ids=["sticker", "photo", "voice"]
)
def test_media_gets_a_kind_text_only_answer(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram, media: Any
) -> None:
    base, _ = telegram_app
    say(base, fake_telegram, updates.text("/menu", "es-MX"))
    replies = say(base, fake_telegram, media())
    assert replies[0].text.startswith("Solo puedo leer texto.")
    assert "Asilo" in labels(replies), "the current screen comes back, nothing is lost"


def test_edited_message_is_answered_as_new_text(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    say(base, fake_telegram, updates.text("/menu", "es-MX"))
    replies = say(base, fake_telegram, updates.edited("/ayuda", "es-MX"))
    assert "/borrar" in "\n".join(c.text for c in replies)


def test_stale_button_starts_over_kindly(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    say(base, fake_telegram, updates.text("/start", "es-MX"))
    replies = say(base, fake_telegram, updates.button("b:node_that_was_removed:3"))
    assert replies[0].text.startswith("Ese botón es de una pantalla anterior")
    assert "¿Sobre qué quiere saber?" in replies[-1].text


@pytest.mark.parametrize(
    "secret",
    [None, "wrong-secret", WEBHOOK_SECRET + "x", ""],
    ids=["missing", "wrong", "longer", "empty"],
)
def test_webhook_refuses_without_the_right_secret(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram, secret: str | None
) -> None:
    base, _ = telegram_app
    response = post(base, updates.text("/start"), secret=secret)
    assert response.status_code == 403
    assert not fake_telegram.sent(), "a refused update is never processed"


def test_webhook_bad_bodies_get_clear_statuses(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
        "Content-Type": "application/json",
    }
    url = f"{base}/telegram/webhook"
    assert httpx.post(url, content=b"{not json", headers=headers).status_code == 400
    assert httpx.post(url, content=b"", headers=headers).status_code == 400
    assert httpx.post(url, content=b"[1, 2]", headers=headers).status_code == 400
    assert httpx.post(url, content=b'{"message": {}}', headers=headers).status_code == 400
    big = b'{"update_id": 1, "pad": "' + b"x" * (1024 * 1024) + b'"}'
    assert httpx.post(url, content=big, headers=headers).status_code == 413
    assert post(base, updates.unknown_kind()).status_code == 200, (
        "unknown kinds are accepted and ignored"
    )
    assert post(base, updates.channel_post()).status_code == 200, (
        "kinds we do not handle are ignored"
    )
    assert not fake_telegram.sent()
    say(base, fake_telegram, updates.text("/start", "es-MX"))  # still healthy afterwards


def test_split_text_keeps_every_character_under_the_limit() -> None:
    from bot.channels.telegram import split_text

    text = "\n".join(f"line {i} " + "x" * 90 for i in range(100))
    pieces = split_text(text, limit=4096)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert split_text("short") == ["short"]
    assert all(len(p) <= 10 for p in split_text("y" * 35, limit=10))


def test_messages_are_sent_without_link_previews(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    replies = say(base, fake_telegram, updates.text("/start", "es-MX"))
    assert all(c.params["link_preview_options"] == {"is_disabled": True} for c in replies)


def test_danger_as_the_very_first_message_gets_emergency_numbers_first(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    replies = say(
        base, fake_telegram, updates.text("me quieren matar los del cartel", "fr-FR", user_id=901)
    )
    first = replies[0].text
    assert "911" in first or "911" in replies[1].text, "emergency help comes before anything else"
    joined = "\n".join(c.text for c in replies)
    assert "988" in joined
    assert "Por favor, elija su idioma." not in first


def test_danger_typed_at_a_screen_that_reads_dates_still_goes_to_emergency(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    menu = say(base, fake_telegram, updates.text("/menu", "es-MX", user_id=902))
    deadline = say(
        base,
        fake_telegram,
        updates.button(
            payload_of(menu, next(label for label in labels(menu) if "año" in label.lower())),
            user_id=902,
        ),
    )
    assert "fecha" in "\n".join(c.text for c in deadline).lower(), (
        "on the calculator, which reads typed dates"
    )
    replies = say(
        base, fake_telegram, updates.text("me estan amenazando ahorita", "es-MX", user_id=902)
    )
    assert "911" in "\n".join(c.text for c in replies)


@pytest.mark.parametrize(
    ("code", "labels_path", "verify_note", "user"),
    [
        (
            "es-MX",
            ["Buscar ayuda legal gratis", "Texas", "No", "Harlingen"],
            "Nadie de esta línea de ayuda lo ha verificado",
            903,
        ),
        (
            "en-US",
            ["Find free legal help", "Texas", "No", "Harlingen"],
            "confirm by phone or website",
            904,
        ),
    ],
    ids=["es", "en"],
)
def test_legal_aid_routing_through_the_webhook(
    telegram_app: tuple[str, Settings],
    fake_telegram: FakeTelegram,
    code: str,
    labels_path: list[str],
    verify_note: str,
    user: int,
) -> None:
    base, _ = telegram_app
    screen = say(base, fake_telegram, updates.text("/menu", code, user_id=user))
    for label in labels_path:
        screen = say(
            base, fake_telegram, updates.button(payload_of(screen, label), code, user_id=user)
        )
    if "ProBAR" not in "\n".join(c.text for c in screen):  # the language question
        first = screen[-1].buttons[0]["callback_data"]
        screen = say(base, fake_telegram, updates.button(first, code, user_id=user))
    cards = "\n".join(c.text for c in screen)
    assert "ProBAR" in cards, "a Harlingen court case finds the Harlingen organisation"
    assert verify_note in cards, "unverified entries say to confirm before relying on them"
    assert (
        "1-800-898-7180" in cards
        and "justice.gov/eoir/list-pro-bono-legal-service-providers" in cards
    )
    assert any(b["callback_data"].startswith("a:") for c in screen for b in c.buttons), (
        "a button for more"
    )
