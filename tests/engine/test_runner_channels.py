"""The engine's answers that depend on the channel or on the person being new: what ``/delete``
advises, the one short reply to media, and a greeting from someone with no state."""

from __future__ import annotations

import pytest

from bot.engine import Event, advance
from bot.engine.model import Flows
from bot.engine.types import ConversationState, Match, Services
from tests.engine.test_runner import TINY, FixedMatcher, TwoLanguages, flows, payloads, run

__all__ = ["flows"]  # the module fixture, shared with test_runner


@pytest.mark.parametrize(
    ("channel", "advice"),
    [
        ("web", "close this tab and clear this browser's history"),
        ("telegram", "press and hold the chat (or swipe left on iPhone) and choose Delete"),
        ("whatsapp", "delete this chat in WhatsApp"),
        ("cli", "close the terminal window"),
        ("sms", "delete this chat in the app"),
        ("", "delete this chat in the app"),
    ],
)
def test_delete_advice_fits_the_channel(flows: Flows, channel: str, advice: str) -> None:
    state = ConversationState(locale="en", node="main")
    event = Event(kind="text", text="/delete", channel=channel)
    new, replies = advance(flows, state, event, TwoLanguages())
    assert new is None and len(replies) == 1
    text = replies[0].text
    assert text.startswith("Done. I erased everything") and advice in text
    assert text.endswith("Write /start to begin again.")
    if channel != "telegram":
        assert "Telegram" not in text


@pytest.mark.parametrize("media", ["sticker", "photo", "voice", "location"])
def test_media_gets_one_short_reply_with_the_current_buttons(flows: Flows, media: str) -> None:
    state, menu = run(flows, [Event.typed("/menu", "en")])
    _, replies = advance(flows, state, Event.unsupported(media), TwoLanguages())
    assert len(replies) == 1, "one bubble, not the whole screen again"
    assert replies[0].text == "I can only read text. Tap a button or write a few words."
    assert payloads(replies) == payloads(menu)


def test_media_keeps_a_question_where_it_is(flows: Flows) -> None:
    state, question = run(flows, [Event.typed("/menu", "en"), Event.pressed("b:main:q1")])
    new, replies = advance(flows, state, Event.unsupported("voice"), TwoLanguages())
    assert new is not None and new.node == "q1" and new.history == state.history  # type: ignore[union-attr]
    assert len(replies) == 1 and payloads(replies) == payloads(question)


def test_media_from_someone_new_gets_the_welcome(flows: Flows) -> None:
    state, replies = advance(flows, None, Event.unsupported("sticker", "en-US"), TwoLanguages())
    assert state is not None and state.node == "welcome"
    assert "b:welcome:main" in payloads(replies)


@pytest.mark.parametrize("general", ["main", "help"])
def test_a_greeting_or_help_request_from_someone_new_gets_the_welcome(general: str) -> None:
    from bot.engine import load_flows

    flows = load_flows(TINY).flows
    help_node = flows.nodes["main"].model_copy(update={"id": "help"})
    with_help = Flows(nodes={**flows.nodes, "help": help_node}, sources=flows.sources)
    hello = Services(matcher=FixedMatcher(Match(node=general, confidence=0.9, language="es")))
    state, replies = advance(
        with_help, None, Event.typed("hola necesito ayuda"), TwoLanguages(), hello
    )
    assert state is not None and state.node == "welcome" and state.locale == "es"
    assert "b:welcome:main" in payloads(replies)
    again, replies = advance(with_help, state, Event.typed("necesito ayuda"), TwoLanguages(), hello)
    assert again is not None and again.node == general, "later, help is the help screen"


def test_a_real_question_from_someone_new_goes_to_its_topic(flows: Flows) -> None:
    law = Services(matcher=FixedMatcher(Match(node="law", confidence=0.9)))
    state, _ = advance(flows, None, Event.typed("the law", "en"), TwoLanguages(), law)
    assert state is not None and state.node == "law"


def test_emergency_in_every_language_says_which_language_each_bubble_is() -> None:
    from bot.engine import load_flows

    flows = load_flows(TINY).flows
    emergency = flows.nodes["law"].model_copy(update={"id": "emergency"})
    with_emergency = Flows(nodes={**flows.nodes, "emergency": emergency}, sources=flows.sources)
    danger = Services(matcher=FixedMatcher(Match(node=None, confidence=1.0, danger=True)))
    _, replies = advance(with_emergency, None, Event.typed("!!"), TwoLanguages(), danger)
    langs = [r.lang for r in replies]
    assert "es" in langs and "en" in langs
    assert langs[-1] is None, "the language question itself is in both languages"
