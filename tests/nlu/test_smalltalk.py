"""Greetings, thanks and requests for help, in Spanish and English, with the real flows."""

from __future__ import annotations

import pytest

from bot.nlu.matcher import KeywordMatcher


@pytest.mark.parametrize(
    "text",
    [
        "hola",
        "Hola!!",
        "holaaa buenas tardes",
        "buenas",
        "buenos días",
        "gracias",
        "muchas gracias señora",
        "grax",
        "hello",
        "hi",
        "hey there",
        "good morning",
        "thanks",
        "thank you so much",
        "thx",
    ],
)
def test_greetings_and_thanks_show_the_main_menu(matcher: KeywordMatcher, text: str) -> None:
    found = matcher.match(text, "es")
    assert (found.node, found.danger) == ("main", False)


@pytest.mark.parametrize(
    "text", ["ayuda", "ayudame porfa", "necesito ayuda", "help", "help pls", "i need help"]
)
def test_help_shows_the_help_screen(matcher: KeywordMatcher, text: str) -> None:
    assert matcher.match(text, "en").node == "help"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("hola, necesito un abogado gratis", "legal_aid"),
        ("buenas tardes, que es el asilo", "asylum"),
        ("hello, what is withholding of removal", "withholding"),
        ("gracias, y la convencion contra la tortura?", "cat"),
    ],
)
def test_a_question_wins_over_a_greeting(matcher: KeywordMatcher, text: str, topic: str) -> None:
    found = matcher.match(text, "es")
    assert found.node is not None and matcher.topics[found.node] == topic


def test_help_with_danger_is_danger(matcher: KeywordMatcher) -> None:
    """ "ayuda" alone is the help screen; "ayuda, me quieren matar" is an emergency."""
    assert matcher.match("ayuda, me quieren matar", "es").danger
