"""The matcher on small, hand-made flows: confident answers, close calls, nothing, topics."""

from __future__ import annotations

import pytest

from bot.engine.model import Button, Flows, Node
from bot.nlu import KeywordMatcher
from bot.nlu.topics import topic_map


def _node(
    node_id: str,
    es: tuple[str, ...] = (),
    en: tuple[str, ...] = (),
    goto: tuple[str, ...] = (),
) -> Node:
    return Node(
        id=node_id,
        title=node_id,
        keywords={"es": list(es), "en": list(en)},
        buttons=[Button(label=target, goto=target) for target in goto],
    )


@pytest.fixture(scope="module")
def flows() -> Flows:
    nodes = [
        _node("main", goto=("asylum", "court", "legal_aid")),
        _node("help", es=("como funciona",)),
        _node("emergency"),
        _node(
            "asylum", es=("asilo", "pedir asilo"), en=("asylum",), goto=("asylum_family", "story")
        ),
        _node("asylum_family", es=("traer a mi familia", "familia"), en=("family",)),
        _node("story", es=("mi historia",)),
        _node("withholding", es=("suspension de remocion",), en=("withholding",)),
        _node("withholding_family", es=("familia",)),
        _node("court", es=("corte", "audiencia", "cita en corte"), en=("court", "hearing")),
        _node("legal_aid", es=("abogado gratis", "ayuda legal"), en=("free lawyer",)),
        _node("legal_aid_texas", es=("texas",)),
    ]
    return Flows(nodes={n.id: n for n in nodes})


@pytest.fixture(scope="module")
def small(flows: Flows) -> KeywordMatcher:
    return KeywordMatcher.from_flows(flows, ["es", "en"])


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("asilo?", "asylum"),
        ("ASILOOOO", "asylum"),
        ("¿Cómo puedo pedir asilo?", "asylum"),
        ("asylum", "asylum"),
        ("mi cita en corte es el lunes", "court"),
        ("my court hearing", "court"),
        ("necesito un abogdo gratis", "legal_aid"),
        ("suspencion de remosion", "withholding"),
        ("quiero traer a mi familia con el asilo", "asylum_family"),
        ("hola", "main"),
        ("muchas gracias!", "main"),
        ("thank you so much", "main"),
        ("ayuda", "help"),
        ("help", "help"),
    ],
)
def test_confident_answers(small: KeywordMatcher, text: str, node: str) -> None:
    found = small.match(text, "es")
    assert (found.node, found.candidates) == (node, ())
    assert 0.0 < found.confidence <= 1.0


def test_a_close_call_gives_two_or_three_candidates(small: KeywordMatcher) -> None:
    """ "familia" is a keyword of two topics: ask rather than guess."""
    found = small.match("familia", "es")
    assert found.node is None
    assert set(found.candidates) == {"asylum_family", "withholding_family"}


@pytest.mark.parametrize(
    "text", ["cuanto cuesta el pasaje", "what's the weather", "ok", "👍", "que es eso", ""]
)
def test_nothing_matches(small: KeywordMatcher, text: str) -> None:
    found = small.match(text, "es")
    assert (found.node, found.candidates, found.danger) == (None, (), False)


def test_a_question_after_a_greeting_wins(small: KeywordMatcher) -> None:
    assert small.match("hola buenas, necesito un abogado gratis", "es").node == "legal_aid"


def test_typos_allowed_grow_with_word_length(small: KeywordMatcher) -> None:
    """One typo is allowed from five letters ("cortr"); a shorter word must be exact."""
    assert small.match("cortr", "es").node == "court"
    assert small.match("cote", "es").node is None


def test_danger_overrides_and_needs_no_keywords(small: KeywordMatcher) -> None:
    found = small.match("me quieren matar, necesito asilo", "es")
    assert (found.node, found.danger) == ("emergency", True)


def test_topic_map_by_prefix_then_by_buttons(flows: Flows) -> None:
    topics = topic_map(flows)
    assert topics["asylum_family"] == "asylum"
    assert topics["withholding_family"] == "withholding"
    assert topics["legal_aid_texas"] == "legal_aid"
    assert topics["story"] == "asylum"
    assert topics["main"] == "main"


def test_help_node_missing_means_main(flows: Flows) -> None:
    without_help = Flows(nodes={k: v for k, v in flows.nodes.items() if k != "help"})
    matcher = KeywordMatcher.from_flows(without_help, ["es", "en"])
    assert matcher.match("ayuda", "es").node == "main"
