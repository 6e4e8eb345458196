"""Typed states: English and Spanish names, codes, typos, accents, Mexico, and close calls."""

from __future__ import annotations

import pytest

from bot.directory.states import StateGuess, parse_state, state_label


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tejas", "TX"),
        ("tejas", "TX"),
        ("Texas", "TX"),
        ("TX", "TX"),
        ("tx", "TX"),
        ("Nuevo México", "NM"),
        ("nuevo mexico", "NM"),
        ("New Mexico", "NM"),
        ("CA", "CA"),
        ("califronia", "CA"),
        ("Califórnia", "CA"),
        ("cali", "CA"),
        ("Arisona", "AZ"),
        ("ilinois", "IL"),
        ("Illinois.", "IL"),
        ("florda", "FL"),
        ("Nueva York", "NY"),
        ("nueva yorck", "NY"),
        ("Carolina del Norte", "NC"),
        ("Pensilvania", "PA"),
        ("Misuri", "MO"),
        ("Washington DC", "DC"),
        ("Washington", "WA"),
        ("Puerto Rico", "PR"),
        ("estoy en texas ahora", "TX"),
        ("I am in the state of Georgia", "GA"),
        ("vivo en Luisiana", "LA"),
        ("Houston TX", "TX"),
        ("I am in Mexico / at the border", "MX"),
        ("estoy en méxico, en la frontera", "MX"),
        ("Tijuana", "MX"),
        ("Ciudad Juárez", "MX"),
    ],
)
def test_a_typed_state_is_understood(text: str, code: str) -> None:
    assert parse_state(text) == StateGuess(code=code)


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("Carolina", ("NC", "SC")),
        ("dakota", ("ND", "SD")),
        ("I am in Mexico near the border with Texas", ("TX", "MX")),
        ("estoy en nuevo mexico cerca de la frontera", ("NM", "MX")),
    ],
)
def test_a_close_call_is_asked_not_guessed(text: str, candidates: tuple[str, ...]) -> None:
    assert parse_state(text) == StateGuess(candidates=candidates)


@pytest.mark.parametrize(
    "text", ["", "   ", "hola", "xyz", "in", "I live in Chicago", "ayuda por favor"]
)
def test_text_without_a_state_is_not_guessed(text: str) -> None:
    assert parse_state(text) == StateGuess()


def test_state_names_are_shown_in_the_reader_language() -> None:
    spanish = {"New Mexico": "Nuevo México", "Mexico": "México"}
    assert state_label("NM", lambda s: spanish.get(s, s)) == "Nuevo México"
    assert state_label("MX", lambda s: spanish.get(s, s)) == "México"
    assert state_label("TX", lambda s: spanish.get(s, s)) == "Texas"
    assert state_label("NM", lambda s: s) == "New Mexico"
