"""The pure engine on a tiny flow: navigation, conditions, answers, commands, stale input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from bot.engine import Event, advance, load_flows
from bot.engine.model import Flows
from bot.engine.types import ConversationState, Match, Reply, Services

TINY = Path(__file__).resolve().parent.parent / "data" / "flows_tiny"


@dataclass(frozen=True)
class EchoTranslator:
    locale: str

    def gettext(self, message: str) -> str:
        return f"[{self.locale}] {message}" if self.locale != "en" else message

    def format_date(self, date: dt.date) -> str:
        return date.isoformat()


class TwoLanguages:
    locales: ClassVar[list[str]] = ["es", "en"]

    def translator(self, locale: str) -> EchoTranslator:
        return EchoTranslator(locale)

    def negotiate(self, hint: str | None) -> str | None:
        if not hint:
            return None
        code = hint.split("-")[0].lower()
        return code if code in self.locales else None

    def language_name(self, locale: str) -> str:
        return {"es": "Español", "en": "English"}[locale]


@pytest.fixture(scope="module")
def flows() -> Flows:
    result = load_flows(TINY)
    assert result.problems == []
    return result.flows


def run(
    flows: Flows, events: list[Event], services: Services | None = None
) -> tuple[ConversationState | None, list[Reply]]:
    state: ConversationState | None = None
    replies: list[Reply] = []
    for event in events:
        state, replies = advance(flows, state, event, TwoLanguages(), services)
    return state, replies


def texts(replies: list[Reply]) -> list[str]:
    return [r.text for r in replies]


def payloads(replies: list[Reply]) -> list[str | None]:
    return [b.payload for r in replies for b in r.buttons]


def test_language_hint_picks_the_language_and_start_shows_welcome(flows: Flows) -> None:
    state, replies = run(flows, [Event.typed("/start", "es-MX")])
    assert state is not None and state.locale == "es" and state.node == "welcome"
    assert texts(replies) == ["[es] Hello."]


def test_no_hint_asks_in_every_language_without_choosing(flows: Flows) -> None:
    state, replies = run(flows, [Event.typed("/start")])
    assert state is not None and state.locale is None
    assert texts(replies) == ["[es] Please choose your language.\nPlease choose your language."]
    assert payloads(replies) == ["lang:es", "lang:en"]


def test_answers_drive_conditional_messages_and_buttons(flows: Flows) -> None:
    state, replies = run(
        flows,
        [Event.typed("/menu", "en"), Event.pressed("b:main:q1"), Event.pressed("b:q1:result.yes")],
    )
    assert state is not None and state.answers == {"officials": "yes"}
    assert texts(replies) == ["Ask a lawyer about CAT.", "Ask a lawyer about asylum."]
    assert "b:result:law" in payloads(replies)
    state, replies = run(
        flows,
        [Event.typed("/menu", "en"), Event.pressed("b:main:q1"), Event.pressed("b:q1:result.no")],
    )
    assert texts(replies) == ["Ask a lawyer about asylum."]
    assert "b:result:law" not in payloads(replies)


def test_hidden_button_cannot_be_pressed_by_payload(flows: Flows) -> None:
    _, replies = run(
        flows,
        [
            Event.typed("/menu", "en"),
            Event.pressed("b:main:q1"),
            Event.pressed("b:q1:result.no"),
            Event.pressed("b:result:law"),
        ],
    )
    assert replies[0].text.startswith("That button is from an older screen")


def test_legal_node_has_disclaimer_date_and_sources(flows: Flows) -> None:
    _state, replies = run(flows, [Event.typed("/menu", "en"), Event.pressed("b:main:law")])
    assert texts(replies) == [
        "A legal fact.",
        "This is general information, not legal advice. Information reviewed on 2026-01-31.",
    ]
    assert payloads(replies) == ["src:law", "nav:back", "nav:menu"]
    _, replies = run(
        flows, [Event.typed("/menu", "en"), Event.pressed("b:main:law"), Event.pressed("src:law")]
    )
    assert "X-1: A fact. (Act §1)" in replies[0].text


def test_back_goes_back_and_main_clears_history(flows: Flows) -> None:
    state, _replies = run(
        flows,
        [
            Event.typed("/menu", "en"),
            Event.pressed("b:main:q1"),
            Event.pressed("b:q1:result.yes"),
            Event.pressed("nav:back"),
        ],
    )
    assert state is not None and state.node == "q1"
    state, _ = run(
        flows, [Event.typed("/menu", "en"), Event.pressed("b:main:q1"), Event.pressed("nav:menu")]
    )
    assert state is not None and state.history == []


def test_delete_returns_no_state(flows: Flows) -> None:
    state, replies = run(flows, [Event.typed("/menu", "en"), Event.typed("/borrar")])
    assert state is None and replies[0].text.startswith("Done. I erased everything")


@pytest.mark.parametrize("typed", ["borrar", "Borrar", "BORRAR.", " delete! ", "¡Borrar!"])
def test_the_delete_word_alone_without_the_slash_erases_too(flows: Flows, typed: str) -> None:
    """On WhatsApp there are no slash commands: "Borrar" typed alone must erase."""
    state, replies = run(flows, [Event.typed("/menu", "en"), Event.typed(typed)])
    assert state is None and replies[0].text.startswith("Done. I erased everything")


@pytest.mark.parametrize("typed", ["como borrar", "borrar el chat", "delete this please"])
def test_the_delete_word_inside_a_sentence_is_not_the_command(flows: Flows, typed: str) -> None:
    state, replies = run(flows, [Event.typed("/menu", "en"), Event.typed(typed)])
    assert state is not None
    assert not replies[0].text.startswith("Done. I erased everything")


@pytest.mark.parametrize(
    "payload",
    [
        "b:nowhere:0",
        "b:main:99",
        "b:main:0",
        "b:main:x",
        "b:main:",
        "src:nowhere",
        "g:nowhere",
        "zzz",
        "",
        "a:main:1",
    ],
)
def test_stale_or_forged_payloads_start_over_kindly(flows: Flows, payload: str) -> None:
    state, replies = run(flows, [Event.typed("/menu", "en"), Event.pressed(payload)])
    assert state is not None and state.node == "main"
    assert replies[0].text.startswith("That button is from an older screen")


def test_unsupported_and_gibberish_repeat_the_current_screen(flows: Flows) -> None:
    _, replies = run(flows, [Event.typed("/menu", "en"), Event.unsupported("sticker")])
    assert replies[0].text.startswith("I can only read text") and "b:main:q1" in payloads(replies)
    _, replies = run(flows, [Event.typed("/menu", "en"), Event.typed("qwzx")])
    assert replies[0].text.startswith("Sorry, I did not understand") and "b:main:q1" in payloads(
        replies
    )


class FixedMatcher:
    def __init__(self, match: Match) -> None:
        self.result = match

    def match(self, text: str, locale: str) -> Match:
        return self.result


def test_matcher_routes_danger_first_then_nodes_then_candidates(flows: Flows) -> None:
    go = Services(matcher=FixedMatcher(Match(node="law", confidence=0.9)))
    state, _ = run(flows, [Event.typed("/menu", "en"), Event.typed("the law please")], go)
    assert state is not None and state.node == "law"
    close = Services(
        matcher=FixedMatcher(Match(node=None, confidence=0.5, candidates=("law", "q1")))
    )
    _, replies = run(flows, [Event.typed("/menu", "en"), Event.typed("law or question")], close)
    assert payloads(replies) == ["g:law", "g:q1", "nav:menu"]
    state, _ = run(flows, [Event.typed("/menu", "en"), Event.pressed("g:q1")], close)
    assert state is not None and state.node == "q1"


def test_the_engine_does_not_mutate_the_state_it_was_given(flows: Flows) -> None:
    state = ConversationState(locale="en", node="main")
    new, _ = advance(flows, state, Event.pressed("b:main:q1"), TwoLanguages())
    assert state.node == "main" and new is not None and new.node == "q1"


def test_danger_before_any_language_gets_emergency_in_every_language_first() -> None:
    flows = load_flows(TINY).flows
    emergency = flows.nodes["law"].model_copy(update={"id": "emergency"})
    with_emergency = Flows(nodes={**flows.nodes, "emergency": emergency}, sources=flows.sources)
    danger = Services(matcher=FixedMatcher(Match(node=None, confidence=1.0, danger=True)))
    state, replies = advance(
        with_emergency, None, Event.typed("they want to kill me"), TwoLanguages(), danger
    )
    shown = texts(replies)
    assert shown[0] == "[es] A legal fact." and "A legal fact." in shown, (
        "emergency in Spanish and English"
    )
    assert shown.index("A legal fact.") < len(shown) - 1, "before the language question"
    assert payloads(replies)[-2:] == ["lang:es", "lang:en"]
    assert state is not None and state.locale is None


def test_first_text_without_hint_takes_the_language_it_is_written_in(flows: Flows) -> None:
    spanish = Services(matcher=FixedMatcher(Match(node="law", confidence=0.9, language="es")))
    state, replies = run(flows, [Event.typed("la ley por favor")], spanish)
    assert state is not None and state.locale == "es" and state.node == "law"
    assert replies[0].text == "[es] A legal fact."
