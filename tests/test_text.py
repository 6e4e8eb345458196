"""One accent folding for everything people type."""

from __future__ import annotations

import pytest

from bot.directory.states import parse_state
from bot.text import fold_accents


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Nuevo México", "Nuevo Mexico"),
        ("pingüino año", "pinguino ano"),
        ("ÁÉÍÓÚ", "AEIOU"),
        ("ﬁn", "fin"),
        ("plain", "plain"),
    ],
)
def test_accents_are_removed_and_case_is_kept(typed: str, folded: str) -> None:
    assert fold_accents(typed) == folded


def test_state_names_are_found_with_or_without_accents() -> None:
    assert parse_state("Nuevo México").code == parse_state("nuevo mexico").code == "NM"
