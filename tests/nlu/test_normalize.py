"""Normalisation: what people type and what editors write must meet in one form."""

from __future__ import annotations

import pytest

from bot.nlu.normalize import normalize, tokens


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("¿Qué es el ASILO?", "que es el asilo"),
        ("asiloooo!!", "asilo"),
        ("holaaaa 😊", "hola"),
        ("Suspensión de Remoción", "suspension de remocion"),
        ("Convención contra la tortura", "convencion contra la tortura"),
        ("año", "ano"),
        ("q hago", "que hago"),
        ("k hago", "que hago"),
        ("xq me negaron", "porque me negaron"),
        ("pq no vino", "porque no vino"),
        ("yo tb", "yo tambien"),
        ("yo tmb", "yo tambien"),
        ("x favor", "por favor"),
        ("cita d corte", "cita de corte"),
        ("necesito un abogdo", "necesito un abogado"),
        ("me kieren matar", "me quieren matar"),
        ("I-589", "i 589"),
        ("i589", "i 589"),
        ("llegué hace 180dias", "llegue hace 180 dias"),
        ("call 1-800-898-7180", "call 1 800 898 7180"),
        ("don't know", "do not know"),
        ("thx u", "thanks you"),
        ("  many   spaces\t", "many spaces"),
    ],
)
def test_normalize(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


def test_doubled_letters_stay() -> None:
    """Only runs of three or more shrink: "llamar", "carro" and "need" keep their pairs."""
    assert tokens("llamar carro need") == ["llamar", "carro", "need"]


def test_abbreviations_only_expand_whole_words() -> None:
    """ "q" is "que" alone, never inside a word; "x" alone is "por"."""
    assert tokens("quiero x eso") == ["quiero", "por", "eso"]
    assert tokens("xq", expand=False) == ["xq"]


def test_empty_and_symbols() -> None:
    assert tokens("") == []
    assert tokens("?!… 👍") == []
