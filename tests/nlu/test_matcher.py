"""The trained matcher: confident answers, close calls, nothing, small talk, topics, retraining."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.content import ContentHolder
from bot.engine.model import Button, Flows, Node
from bot.nlu.matcher import EMERGENCY, TextMatcher
from bot.nlu.normalize import tokens
from bot.nlu.topics import topic_map
from bot.settings import REPO_ROOT


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("asilo?", "asylum"),
        ("ASILOOOO", "asylum"),
        ("¿Cómo se pide el asilo?", "asylum"),
        ("asylum", "asylum"),
        ("mi cita en corte es el lunes", "court"),
        ("my court hearing", "court"),
        ("necesito un abogdo gratis", "legal_aid"),
        ("suspencion de remosion", "withholding"),
        ("buenas noches disculpe la molestia quisiera saber como pido asilo", "asylum"),
        ("ocupo un licenciado pero no tengo dinero", "legal_aid"),
    ],
)
def test_the_best_guess(matcher: TextMatcher, text: str, topic: str) -> None:
    found = matcher.match(text, "es")
    best = found.node or found.candidates[0]
    assert matcher.topics[best] == topic
    assert 0.0 < found.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("hola", "main"),
        ("muchas gracias!", "main"),
        ("thank you so much", "main"),
        ("ayuda", "danger_check"),
        ("como funciona", "help"),
    ],
)
def test_small_talk(matcher: TextMatcher, text: str, node: str) -> None:
    assert matcher.match(text, "es").node == node


@pytest.mark.parametrize(
    "text", ["cuanto cuesta el pasaje", "what's the weather", "ok", "👍", "jajaja", ""]
)
def test_nothing_matches(matcher: TextMatcher, text: str) -> None:
    found = matcher.match(text, "es")
    assert (found.node, found.candidates, found.danger) == (None, (), False)


def test_a_close_call_offers_screens_of_different_topics(matcher: TextMatcher) -> None:
    """Whenever the matcher is unsure, the buttons it offers belong to different topics."""
    found = matcher.match("familia", "es")
    if found.node is None:
        topics = [matcher.topics[c] for c in found.candidates]
        assert 1 <= len(topics) <= 3 and len(set(topics)) == len(topics)


def test_a_question_after_a_greeting_wins(matcher: TextMatcher) -> None:
    assert matcher.match("hola buenas, necesito un abogado gratis", "es").node == "legal_aid"


def _tiny() -> Flows:
    nodes = [
        Node(id="main", title="main", buttons=[Button(label="a", goto="asylum")]),
        Node(
            id="asylum",
            title="a",
            keywords={"es": ["asilo"]},
            buttons=[Button(label="s", goto="story")],
        ),
        Node(id="story", title="s", examples={"es": ["mi historia"]}),
        Node(id="legal_aid_texas", title="t", keywords={"es": ["texas"]}),
        Node(id="legal_aid", title="l", keywords={"es": ["abogado"]}),
    ]
    return Flows(nodes={n.id: n for n in nodes})


def test_topic_map_by_prefix_then_by_buttons() -> None:
    topics = topic_map(_tiny())
    assert topics["legal_aid_texas"] == "legal_aid"
    assert topics["story"] == "asylum"
    assert topics["main"] == "main"


@pytest.mark.parametrize("text", ["k", "kkkkkkkk", "que", "who"])
def test_one_little_word_is_not_answered(matcher: TextMatcher, text: str) -> None:
    """ "k" reads "que", which many screens' examples use: the model was sure of a screen."""
    found = matcher.match(text, "es")
    assert (found.node, found.candidates, found.danger) == (None, (), False)


def test_help_node_missing_means_main() -> None:
    matcher = TextMatcher.from_flows(_tiny(), ["es", "en"])
    assert matcher.match("ayuda", "es").node == "main"


def test_a_reload_with_new_examples_changes_the_answer(tmp_path: Path) -> None:
    """Editors teach the matcher by adding examples; the next good reload retrains it."""
    shutil.copytree(REPO_ROOT / "flows", tmp_path / "flows")
    shutil.copytree(REPO_ROOT / "locales", tmp_path / "locales")
    holder = ContentHolder(tmp_path / "flows", tmp_path / "locales", ["es", "en"])
    message = "quiero platicar con la señorita del zumba"
    before = holder.current.services.matcher.match(message, "es")  # type: ignore[union-attr]
    assert before.node != "legal_aid"
    legal_aid = tmp_path / "flows" / "legal_aid.yaml"
    text = legal_aid.read_text(encoding="utf-8")
    marker = "    examples:\n      en:\n"
    assert marker in text
    lines = "".join(
        f"        - {m}\n"
        for m in (
            "la señorita del zumba",
            "platicar con la señorita del zumba",
            "quiero a la señorita del zumba",
            "la del zumba que ayuda con papeles",
            "me dijeron que la señorita del zumba ayuda",
        )
    )
    legal_aid.write_text(text.replace(marker, marker + lines, 1), encoding="utf-8")
    assert holder.reload() == []
    after = holder.current.services.matcher.match(message, "es")  # type: ignore[union-attr]
    assert after.node == "legal_aid"


def test_a_restart_with_the_same_content_reads_the_model_from_the_cache(tmp_path: Path) -> None:
    """The cache folder holds plain arrays; a model read back gives the same probabilities."""
    from bot.nlu import classifier as module

    texts = [tokens(t) for t in ("pedir asilo", "asilo politico", "abogado gratis", "un abogado")]
    labels = ["asylum", "asylum", "legal_aid", "legal_aid"]
    first = module.train_cached(texts, labels, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    module._CACHE.clear()
    second = module.train_cached(texts, labels, cache_dir=tmp_path)
    assert second is not first
    for text in ("necesito asilo", "busco abogado", "zzz"):
        assert np.allclose(first.probabilities(tokens(text)), second.probabilities(tokens(text)))


def test_a_long_message_that_asks_several_things_is_offered_screens(matcher: TextMatcher) -> None:
    """The vote of a long message spreads over topics; below ``candidate`` it used to get
    nothing at all. From ``long_words`` words up, topics are offered from ``candidate_long``.
    The thresholds are set around this message's own best vote, so that new examples (which
    move the vote) do not change what the test shows."""
    import dataclasses

    from bot.nlu.smalltalk import without_courtesy

    text = (
        "buenas noches fijese que mi abogado me dijo ke en la corte me van a preguntar porke no "
        "me cambie a otro estado de mexico en lugar de venirme para aca, que le digo si los de "
        "la maña estan en todas partes"
    )
    ranked = matcher.topic_ranking(without_courtesy(tokens(text)))
    best = next(p for t, p in ranked if t not in (EMERGENCY, "-"))
    around = dataclasses.replace(
        matcher.settings, candidate=best + 0.05, candidate_long=best - 0.05, confident=1.1
    )
    long_ones = copy.copy(matcher)
    long_ones.settings = around
    found = long_ones.match(text, "es")
    assert found.node is not None or found.candidates
    strict = copy.copy(matcher)
    strict.settings = dataclasses.replace(around, long_words=10**6)
    assert strict.match(text, "es").node is None and not strict.match(text, "es").candidates
