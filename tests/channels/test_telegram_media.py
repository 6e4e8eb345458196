"""Telegram end to end: media gets one short reply with the current buttons, a caption is read as
text, a first "hola necesito ayuda" gets the welcome, and /borrar gives Telegram's own advice."""

from __future__ import annotations

from typing import Any

import pytest

from bot.settings import Settings
from tests.channels.test_telegram import _remember_fake, labels, say  # noqa: F401 - autouse fixture
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram


def location() -> dict[str, Any]:
    """A shared place (a made-up point)."""
    return {
        "update_id": next(updates._update_ids),
        "message": updates._message(
            updates.person("es-MX"), location={"latitude": 25.0, "longitude": -100.0}
        ),
    }


def photo_with_caption(caption: str) -> dict[str, Any]:
    update = updates.photo()
    update["message"]["caption"] = caption
    return update


@pytest.mark.parametrize(
    "media",
    [updates.sticker, updates.photo, updates.voice, location],
    ids=["sticker", "photo", "voice", "location"],
)
def test_media_gets_one_short_reply_with_the_current_buttons(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram, media: Any
) -> None:
    base, _ = telegram_app
    menu = say(base, fake_telegram, updates.text("/menu", "es-MX"))
    replies = say(base, fake_telegram, media())
    assert len(replies) == 1, [c.text for c in replies]
    assert replies[0].text == "Solo puedo leer texto. Toque un botón o escriba unas palabras."
    assert labels(replies) == labels(menu), "the current screen's buttons, to go on"


def test_a_photo_caption_is_read_as_text(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    say(base, fake_telegram, updates.text("/menu", "es-MX"))
    replies = say(base, fake_telegram, photo_with_caption("¿qué es el asilo?"))
    text = "\n".join(c.text for c in replies)
    assert "Solo puedo leer texto" not in text
    assert "Información revisada el" in text


@pytest.mark.parametrize("first", ["hola necesito ayuda", "hola", "buenas tardes, ayuda por favor"])
def test_a_first_greeting_gets_the_welcome_and_the_danger_question(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram, first: str
) -> None:
    base, _ = telegram_app
    replies = say(base, fake_telegram, updates.text(first, "es-MX"))
    text = "\n".join(c.text for c in replies)
    assert "¿Está en peligro ahora mismo?" in text
    assert "Sí, estoy en peligro" in labels(replies)


def test_borrar_on_telegram_says_how_to_delete_the_chat(
    telegram_app: tuple[str, Settings], fake_telegram: FakeTelegram
) -> None:
    base, _ = telegram_app
    say(base, fake_telegram, updates.text("/start", "es-MX"))
    (done,) = say(base, fake_telegram, updates.text("/borrar", "es-MX"))
    assert done.text.startswith("Listo. Borré todo")
    assert (
        "deje presionado el chat (o deslícelo a la izquierda en iPhone) y elija Eliminar"
        in done.text
    )
    assert "navegador" not in done.text
