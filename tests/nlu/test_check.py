"""Keyword warnings an editor can act on; they never block the content."""

from __future__ import annotations

from bot.engine.model import Flows, Node
from bot.nlu.check import keyword_problems


def _flows(*nodes: Node) -> Flows:
    return Flows(nodes={n.id: n for n in nodes})


def test_clean_keywords_give_no_warning() -> None:
    flows = _flows(
        Node(id="asylum", title="Asylum", keywords={"es": ["asilo"], "en": ["asylum"]}),
        Node(id="asylum_work", title="Work", keywords={"es": ["asilo y trabajo"]}),
    )
    assert keyword_problems(flows) == []


def test_unusable_and_weak_keywords_are_warned() -> None:
    flows = _flows(
        Node(id="court", title="Court", keywords={"spanish": ["corte"], "es": ["¿?", "que es"]}),
    )
    messages = [p.message for p in keyword_problems(flows)]
    assert len(messages) == 3
    assert any('"spanish" is not a language code' in m for m in messages)
    assert any('"¿?" has no letters' in m for m in messages)
    assert any('"que es" is made only of common little words' in m for m in messages)
    assert all(p.severity == "warning" for p in keyword_problems(flows))


def test_the_same_keyword_on_two_topics_is_warned_once() -> None:
    flows = _flows(
        Node(id="asylum", title="Asylum", keywords={"es": ["Familia"]}),
        Node(id="asylum_granted", title="Granted", keywords={"es": ["familia"]}),
        Node(id="withholding", title="Withholding", keywords={"es": ["familia"]}),
    )
    problems = keyword_problems(flows)
    assert [(p.node, "withholding" in p.message) for p in problems] == [("asylum", True)]
