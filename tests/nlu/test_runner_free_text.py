"""The engine's free-text path with the real matcher, on hand-made flows and the real catalogs.

These pin the small changes made to ``bot.engine.runner`` for free text: danger before a
screen's own input action, the one-tap language offer, and nothing changed without a matcher.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.engine.actions import ACTIONS, ActionContext, ActionResult
from bot.engine.model import Flows, InputSpec, Node
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply, Services
from bot.i18n.catalogs import BabelLocalizer, load_localizer
from bot.nlu import KeywordMatcher
from bot.settings import REPO_ROOT

ECHO = "nlu_test_echo"


def _echo(ctx: ActionContext) -> ActionResult:
    """A screen that reads typed text and knows nothing about danger."""
    return ActionResult(replies=[Reply(f"echo: {len(ctx.text)} characters")])


@pytest.fixture(autouse=True)
def _echo_registered() -> Iterator[None]:
    """Registered only while these tests run, so other tests see the real registry."""
    ACTIONS[ECHO] = _echo
    yield
    del ACTIONS[ECHO]


@pytest.fixture(scope="module")
def flows() -> Flows:
    nodes = [
        Node(id="main", title="Main menu", messages=[{"text": "Menu"}]),  # type: ignore[list-item]
        Node(id="emergency", title="Emergency", messages=[{"text": "Call 911"}]),  # type: ignore[list-item]
        Node(id="asylum", title="Asylum", keywords={"es": ["asilo"], "en": ["asylum"]}),
        Node(id="reader", title="Reader", input=InputSpec(action=ECHO)),
    ]
    return Flows(nodes={n.id: n for n in nodes})


@pytest.fixture(scope="module")
def localizer() -> BabelLocalizer:
    return load_localizer(REPO_ROOT / "locales", ["es", "en"])


def _type(
    flows: Flows, localizer: BabelLocalizer, services: Services, state: ConversationState, text: str
) -> tuple[ConversationState, list[Reply]]:
    new, replies = advance(flows, state, Event.typed(text), localizer, services)
    assert new is not None
    return new, replies


def test_danger_before_an_input_action(flows: Flows, localizer: BabelLocalizer) -> None:
    services = Services(matcher=KeywordMatcher.from_flows(flows, ["es", "en"]))
    at_reader = ConversationState(locale="en", node="reader")
    state, _ = _type(flows, localizer, services, at_reader, "they want to kill me")
    assert state.node == "emergency"
    state, replies = _type(flows, localizer, services, at_reader, "asylum")
    assert (state.node, replies[0].text) == ("reader", "echo: 6 characters")


def test_language_offer_next_to_the_answer(flows: Flows, localizer: BabelLocalizer) -> None:
    services = Services(matcher=KeywordMatcher.from_flows(flows, ["es", "en"]))
    main = ConversationState(locale="en", node="main")
    state, replies = _type(flows, localizer, services, main, "necesito pedir asilo")
    assert state.node == "asylum"
    assert replies[-1].buttons[-1].payload == "lang:es"
    _, replies = _type(flows, localizer, services, main, "me quieren matar")
    assert replies[-1].buttons[-1].payload == "lang:es", "offered on the emergency screen too"
    _, replies = _type(flows, localizer, services, main, "I need asylum")
    assert all(b.payload != "lang:es" for r in replies for b in r.buttons)


def test_without_a_matcher_nothing_changes(flows: Flows, localizer: BabelLocalizer) -> None:
    main = ConversationState(locale="en", node="main")
    state, replies = _type(flows, localizer, Services(), main, "me quieren matar")
    assert state.node == "main"
    assert not any(
        b.payload and b.payload.startswith("lang:es") for r in replies for b in r.buttons
    )
