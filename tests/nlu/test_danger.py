"""Danger words lead to the emergency screen first, in both languages, typos included."""

from __future__ import annotations

import pytest

from bot.engine.types import Match
from bot.nlu.danger import DangerDetector
from bot.nlu.evaluate import read_rows
from bot.nlu.matcher import EMERGENCY, KeywordMatcher
from bot.settings import REPO_ROOT

DANGER = [
    ("me quieren matar los del cartel q hago", "es"),
    ("me kieren matar", "es"),
    ("nos van a matar", "es"),
    ("estoy en peligro", "es"),
    ("me estan amenazando ahorita", "es"),
    ("estoy herida", "es"),
    ("secuestraron a mi hijo", "es"),
    ("secuestardo", "es"),
    ("quiero suicidarme", "es"),
    ("quiero suisidarme", "es"),
    ("pienso en quitarme la vida", "es"),
    ("ya no quiero vivir", "es"),
    ("they want to kill me", "en"),
    ("I am in danger right now", "en"),
    ("I was threatened right now", "en"),
    ("my son is hurt", "en"),
    ("i was kidnapped", "en"),
    ("i want to kill myself", "en"),
    ("suicide", "en"),
    ("help they want to kill me", "en"),
]

NOT_DANGER = [
    "que es el asilo",
    "mataron a mi hermano y vine para aca",
    "they killed my brother back home",
    "pueden mandarme a otro pais",
    "me pidieron firmar un formulario en blanco",
    "donde encuentro ayuda legal gratis",
    "vos sos abogado?",
    "is it dangerous to go to court",
    "es peligroso ir a la corte",
    "will a criminal record hurt my case",
    "busco trabajo de limpieza",
]


@pytest.mark.parametrize(("text", "lang"), DANGER)
@pytest.mark.parametrize("locale", ["es", "en"])
def test_danger_goes_to_emergency_in_any_locale(
    matcher: KeywordMatcher, text: str, lang: str, locale: str
) -> None:
    found = matcher.match(text, locale)
    assert found == Match(node=EMERGENCY, confidence=1.0, language=found.language, danger=True)


@pytest.mark.parametrize("text", NOT_DANGER)
def test_questions_and_stories_are_not_alarms(matcher: KeywordMatcher, text: str) -> None:
    assert not matcher.match(text, "es").danger


def test_every_danger_row_of_the_evaluation_set() -> None:
    """The detector alone catches every labelled danger message (the goal is 100%)."""
    detector = DangerDetector.for_languages(["es", "en"])
    rows = [r for r in read_rows(REPO_ROOT / "tests/data/nlu_eval.tsv") if r.topic == EMERGENCY]
    assert len(rows) >= 40
    missed = [r.text for r in rows if r.text not in detector]
    assert missed == []


def test_danger_wins_over_a_topic_in_the_same_message(matcher: KeywordMatcher) -> None:
    """ "asilo" alone is a topic; with a threat it is an emergency first."""
    assert matcher.match("asilo", "es").node == "asylum"
    assert matcher.match("asilo, me quieren matar", "es").danger
