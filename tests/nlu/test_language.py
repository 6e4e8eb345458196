"""Language from short text, with the helpline's own n-gram model; unsure means ``None``."""

from __future__ import annotations

import pytest

from bot.nlu.language import NgramGuesser
from bot.nlu.matcher import TextMatcher


@pytest.fixture(scope="module")
def guesser(matcher: TextMatcher) -> NgramGuesser:
    """The guesser the service uses: trained on the catalogs, examples and keywords."""
    return matcher.guesser


@pytest.mark.parametrize(
    "text",
    [
        "necesito un abogado gratis en el paso",
        "que es la tortura convencion",
        "me negaron el asilo que hago",
        "cuando es mi corte",
        "tengo miedo",
        "buenas noches disculpe la molestia",
    ],
)
def test_short_spanish(guesser: NgramGuesser, text: str) -> None:
    assert guesser.guess(text) == "es"


@pytest.mark.parametrize(
    "text",
    [
        "my court date",
        "i need a lawyer",
        "what is withholding of removal",
        "how do i apply for asylum",
        "hello there",
    ],
)
def test_short_english(guesser: NgramGuesser, text: str) -> None:
    assert guesser.guess(text) == "en"


@pytest.mark.parametrize("text", ["ok", "si", "no", "911", "👍", ""])
def test_unsure_is_none(guesser: NgramGuesser, text: str) -> None:
    """Words everyone types never trigger an offer to switch language."""
    assert guesser.guess(text) is None


def test_one_language_gives_no_guess() -> None:
    """With one language there is nothing to choose between."""
    single = NgramGuesser({"es": ["hola que tal", "necesito un abogado"]})
    assert single.guess("i need a lawyer") is None


def test_english_locale_writing_spanish_gets_spanish(matcher: TextMatcher) -> None:
    found = matcher.match("necesito un abogado gratis en el paso", "en")
    assert found.language == "es"
    assert matcher.match("my court date", "es").language == "en"
