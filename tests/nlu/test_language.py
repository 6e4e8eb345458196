"""Language from short text, limited to the enabled languages; unsure means ``None``."""

from __future__ import annotations

import pytest

from bot.nlu.language import LanguageGuesser
from bot.nlu.matcher import KeywordMatcher
from bot.nlu.normalize import tokens


@pytest.fixture(scope="module")
def guesser() -> LanguageGuesser:
    return LanguageGuesser(["es", "en"], {"es": {"asilo", "hola"}, "en": {"asylum", "hello"}})


@pytest.mark.parametrize(
    "text",
    [
        "necesito un abogado gratis en el paso",
        "que es la tortura convencion",
        "me negaron el asilo que hago",
        "cuando es mi corte",
        "asilo?",
        "hola",
        "tengo miedo",
    ],
)
def test_short_spanish(guesser: LanguageGuesser, text: str) -> None:
    assert guesser.guess(text, tokens(text)) == "es"


@pytest.mark.parametrize(
    "text",
    [
        "my court date",
        "i need a lawyer",
        "what is withholding of removal",
        "how do i apply for asylum",
        "asylum",
        "hello",
    ],
)
def test_short_english(guesser: LanguageGuesser, text: str) -> None:
    assert guesser.guess(text, tokens(text)) == "en"


@pytest.mark.parametrize("text", ["ok", "si", "no", "911", "👍", ""])
def test_unsure_is_none(guesser: LanguageGuesser, text: str) -> None:
    """Words everyone types never trigger an offer to switch language."""
    assert guesser.guess(text, tokens(text)) is None


def test_only_enabled_languages() -> None:
    """With one language there is nothing to choose between, so no guess at all."""
    single = LanguageGuesser(["es"])
    assert single.guess("i need a lawyer", tokens("i need a lawyer")) is None
    assert single.confidences("hola") == {}


def test_english_locale_writing_spanish_gets_spanish(matcher: KeywordMatcher) -> None:
    found = matcher.match("necesito un abogado gratis en el paso", "en")
    assert found.language == "es"
    assert matcher.match("my court date", "es").language == "en"
