"""The engine's two WhatsApp behaviours, without any server: a typed number presses that button
(only where the channel asks for it, and never past a danger check), and ``/borrar`` says how to
delete the chat in WhatsApp. Real flows, catalogs and services."""

from __future__ import annotations

import pytest

from bot.content import Content, load_content
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply
from bot.settings import REPO_ROOT


@pytest.fixture(scope="module")
def content() -> Content:
    """The real content, as the helpline loads it."""
    return load_content(REPO_ROOT / "flows", REPO_ROOT / "locales", ["es", "en"])


def turn(
    content: Content, state: ConversationState | None, event: Event
) -> tuple[ConversationState | None, list[Reply]]:
    return advance(content.flows, state, event, content.localizer, content.services)


def payloads(replies: list[Reply]) -> list[str]:
    return [b.payload for r in replies for b in r.buttons if b.payload]


def test_a_typed_number_presses_the_button_shown_on_whatsapp(content: Content) -> None:
    state, menu = turn(
        content, ConversationState(locale="en"), Event.typed("/menu", channel="whatsapp")
    )
    assert state is not None and state.shown == payloads(menu)
    second = payloads(menu)[1]
    by_number = turn(content, state, Event.typed(" 2 ", channel="whatsapp"))
    by_tap = turn(content, state, Event.pressed(second, channel="whatsapp"))
    assert by_number == by_tap
    out_of_range = turn(content, state, Event.typed("99", channel="whatsapp"))
    assert out_of_range[1] != by_tap[1], "a number past the buttons is ordinary text"


def test_other_channels_keep_numbers_as_text_and_store_no_buttons(content: Content) -> None:
    state, menu = turn(content, ConversationState(locale="en"), Event.typed("/menu"))
    assert state is not None and state.shown == []
    state = state.model_copy(update={"shown": payloads(menu)})
    _, typed = turn(content, state, Event.typed("2"))
    _, tapped = turn(content, state, Event.pressed(payloads(menu)[1]))
    assert typed != tapped


@pytest.mark.parametrize(
    ("channel", "locale", "advice"),
    [
        ("whatsapp", "es", "en WhatsApp, mantenga presionado este chat"),
        ("whatsapp", "en", "in WhatsApp, press and hold this chat"),
        ("telegram", "en", "delete this chat in the app"),
        ("", "es", "borre este chat en la aplicación"),
    ],
)
def test_erasing_says_how_to_delete_the_chat_in_that_app(
    content: Content, channel: str, locale: str, advice: str
) -> None:
    state, _ = turn(
        content, ConversationState(locale=locale), Event.typed("/menu", channel=channel)
    )
    command = "/borrar" if locale == "es" else "/delete"
    erased, (reply,) = turn(content, state, Event.typed(command, channel=channel))
    assert erased is None
    assert advice in reply.text
