"""Understand the US state a person types, in English or Spanish, with typos and accents.

People write "Tejas", "Nuevo México", "CA", "califronia" or "estoy en méxico, en la frontera".
State names and codes come from the ``us`` library; Spanish names (which no library we use has)
are listed here; typos are matched with ``rapidfuzz``. When two answers fit ("Carolina", or a
state and Mexico in one sentence) the person is asked to choose instead of being guessed for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import us
from rapidfuzz import fuzz, process

from bot.directory.vocabulary import MEXICO
from bot.engine.ui import N_
from bot.text import fold_accents

__all__ = ["StateGuess", "parse_state", "state_label"]

SPANISH_NAMES: dict[str, tuple[str, ...]] = {
    "TX": ("tejas",),
    "NM": ("nuevo mexico", "nuevo mejico"),
    "NY": ("nueva york",),
    "NJ": ("nueva jersey",),
    "NC": ("carolina del norte",),
    "SC": ("carolina del sur",),
    "ND": ("dakota del norte",),
    "SD": ("dakota del sur",),
    "WV": ("virginia occidental",),
    "PA": ("pensilvania", "pennsilvania"),
    "LA": ("luisiana",),
    "MS": ("misisipi", "misisippi"),
    "MO": ("misuri",),
    "HI": ("hawai",),
    "DC": ("distrito de columbia", "washington dc", "washington d c", "dc", "d c"),
    "CA": ("cali",),
}
"""Names people write that the ``us`` library does not know (accents are removed before looking)."""

STATE_MSGIDS: dict[str, str] = {
    "NM": N_("New Mexico"),
    "NY": N_("New York"),
    "NJ": N_("New Jersey"),
    "NC": N_("North Carolina"),
    "SC": N_("South Carolina"),
    "ND": N_("North Dakota"),
    "SD": N_("South Dakota"),
    "WV": N_("West Virginia"),
    "PA": N_("Pennsylvania"),
    "LA": N_("Louisiana"),
    "MS": N_("Mississippi"),
    "MO": N_("Missouri"),
    "HI": N_("Hawaii"),
    "DC": N_("District of Columbia"),
    "OR": N_("Oregon"),
    "MI": N_("Michigan"),
    MEXICO: N_("Mexico"),
}
"""State names whose Spanish spelling differs: translated in the catalogs like other strings."""

AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "carolina": ("NC", "SC"),
    "dakota": ("ND", "SD"),
}

MEXICO_WORDS = frozenset(
    {
        "mexico",
        "mejico",
        "frontera",
        "border",
        "tijuana",
        "juarez",
        "reynosa",
        "matamoros",
        "mexicali",
    }
)
"""Words that say the person is in Mexico or at the border (checked after US state names)."""

_LEADING = frozenset(
    {"i", "am", "im", "m", "in", "at", "on", "the", "estoy", "vivo", "live", "living", "ahora"}
    | {"now", "en", "el", "la", "los", "state", "estado", "of", "de", "near", "cerca", "we"}
    | {"are", "estamos", "soy"}
)
"""Words before the state name that say nothing about it ("estoy en", "I am in the state of")."""
_TRAILING = frozenset(
    {"state", "estado", "now", "ahora", "usa", "us", "eeuu", "eua", "currently", "actualmente"}
)
_FUZZY_CUTOFF = 80.0
_CLOSE_CALL = 5.0


@dataclass(frozen=True)
class StateGuess:
    """What the text names: one code (``TX``, or ``MX`` for Mexico), or codes to choose from."""

    code: str | None = None
    candidates: tuple[str, ...] = ()


def _fold(text: str) -> str:
    """Lowercase, without accents or punctuation: "Nuevo México." → "nuevo mexico"."""
    plain = fold_accents(text).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for state in us.states.STATES_AND_TERRITORIES:
        index[_fold(state.name)] = state.abbr
    for code, names in SPANISH_NAMES.items():
        for name in names:
            index[_fold(name)] = code
    return index


_NAMES = _build_index()
_CODES = frozenset(s.abbr for s in us.states.STATES_AND_TERRITORIES)
_LONGEST = max(len(name.split()) for name in _NAMES)


def _trim(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and words[start] in _LEADING:
        start += 1
    while end > start and words[end - 1] in _TRAILING:
        end -= 1
    return words[start:end]


def _names_inside(words: list[str]) -> tuple[list[str], list[str]]:
    """State names written inside a sentence, longest first; and the words left over."""
    found: list[str] = []
    left: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in _NAMES:
                found.append(_NAMES[phrase])
                i += size
                break
        else:
            left.append(words[i])
            i += 1
    return list(dict.fromkeys(found)), left


def _codes_typed(text: str) -> list[str]:
    """Two-letter codes written in capitals inside a sentence ("Houston TX")."""
    return [t for t in re.findall(r"\b[A-Z]{2}\b", text) if t in _CODES]


def _fuzzy(phrase: str) -> StateGuess:
    if len(phrase) < 4:
        return StateGuess()
    hits = process.extract(phrase, list(_NAMES), scorer=fuzz.ratio, limit=5)
    hits = [h for h in hits if h[1] >= _FUZZY_CUTOFF]
    if not hits:
        return StateGuess()
    best = hits[0][1]
    codes = list(
        dict.fromkeys(_NAMES[name] for name, score, _ in hits if best - score < _CLOSE_CALL)
    )
    if len(codes) == 1:
        return StateGuess(code=codes[0])
    return StateGuess(candidates=tuple(codes))


def parse_state(text: str) -> StateGuess:
    """The state (or Mexico) a person's text names; candidates when it is a close call."""
    words = _trim(_fold(text).split())
    if not words:
        return StateGuess()
    phrase = " ".join(words)
    if phrase in _NAMES:
        return StateGuess(code=_NAMES[phrase])
    if phrase in AMBIGUOUS:
        return StateGuess(candidates=AMBIGUOUS[phrase])
    if len(phrase) == 2 and phrase.upper() in _CODES:
        return StateGuess(code=phrase.upper())
    states, left = _names_inside(words)
    states += [code for code in _codes_typed(text) if code not in states]
    in_mexico = any(word in MEXICO_WORDS for word in left) or "ciudad juarez" in " ".join(left)
    choices = [*states, MEXICO] if in_mexico else states
    if len(choices) == 1:
        return StateGuess(code=choices[0])
    if choices:
        return StateGuess(candidates=tuple(choices))
    return _fuzzy(phrase)


def state_label(code: str, gettext: Callable[[str], str]) -> str:
    """The state's name in the reader's language ("Nuevo México" in Spanish)."""
    if code in STATE_MSGIDS:
        return gettext(STATE_MSGIDS[code])
    state = us.states.lookup(code)
    return str(state.name) if state is not None else code
