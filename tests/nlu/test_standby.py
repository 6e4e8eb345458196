"""The matcher that answers while the classifier trains: danger first, always; then keywords."""

from __future__ import annotations

import pytest

from bot.content import Content
from bot.engine.types import Match
from bot.nlu.matcher import DANGER_CHECK, EMERGENCY, TextMatcher
from bot.nlu.standby import LiveMatcher, StandbyMatcher
from bot.settings import REPO_ROOT
from tests.nlu.conftest import LANGUAGES
from tests.nlu.test_danger import CATEGORIES


@pytest.fixture(scope="module")
def standby(content: Content) -> StandbyMatcher:
    return StandbyMatcher.from_flows(content.flows, LANGUAGES, REPO_ROOT / "flows")


@pytest.mark.parametrize("text", [t for rows in CATEGORIES.values() for t, _ in rows])
def test_every_danger_example_reaches_the_emergency_screen(
    standby: StandbyMatcher, text: str
) -> None:
    found = standby.match(text, "es")
    assert found == Match(node=EMERGENCY, confidence=1.0, language=found.language, danger=True)


def test_the_contents_own_danger_phrases_are_used(standby: StandbyMatcher) -> None:
    assert standby.keywords.danger is standby.danger, (
        "the keyword matcher's own danger check reads the content's phrases too"
    )


@pytest.mark.parametrize("text", ["tengo miedo", "I am scared"])
def test_fear_alone_asks_whether_in_danger_now(standby: StandbyMatcher, text: str) -> None:
    found = standby.match(text, "es")
    assert found.node == DANGER_CHECK and found.danger


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("ayuda", DANGER_CHECK),
        ("help me", DANGER_CHECK),
        ("ayudaaa", EMERGENCY),
        ("help!!", EMERGENCY),
    ],
)
def test_small_talk_is_answered_as_by_the_trained_matcher(
    standby: StandbyMatcher, content: Content, text: str, node: str
) -> None:
    """While the classifier trains, a shouted plea is the emergency screen too (the keyword
    matcher used to ask the danger question instead)."""
    trained = content.services.matcher
    assert isinstance(trained, TextMatcher)
    assert standby.match(text, "es").node == trained.match(text, "es").node == node
    assert standby.match(text, "es").danger


def test_a_question_gets_the_keywords_answer(standby: StandbyMatcher) -> None:
    found = standby.match("necesito un abogado gratis", "es")
    assert not found.danger
    assert found.node is not None or found.candidates, "an ordinary question is not left alone"


def test_install_swaps_in_the_trained_matcher(
    standby: StandbyMatcher, matcher: TextMatcher
) -> None:
    live = LiveMatcher(standby)
    text = "quiero pedir asilo"
    assert live.match(text, "es") == standby.match(text, "es")
    assert not live.ready.is_set()
    live.install(matcher)
    assert live.ready.is_set() and live.trained is matcher
    assert live.match(text, "es") == matcher.match(text, "es")


def test_the_keyword_tables_are_built_by_the_first_typed_text(content: Content) -> None:
    """Not at start (a tenth of a second of it, and on a restart the cached classifier is
    usually in before anyone types); danger phrases are ready at once."""
    fresh = StandbyMatcher.from_flows(content.flows, LANGUAGES, REPO_ROOT / "flows")
    assert "keywords" not in vars(fresh), "no keyword tables at start"
    found = fresh.match("necesito un abogado gratis", "es")
    assert found.node is not None or found.candidates
    assert "keywords" in vars(fresh), "built by the first typed text, and kept"
    assert fresh.keywords.danger is fresh.danger
