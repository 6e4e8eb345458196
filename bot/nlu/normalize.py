"""Turn what people type into a plain, comparable form: the same on both sides of every match.

People write on small phones, in a hurry, often without accents and in SMS style ("q hago",
"xq", "asiloooo"). Keywords in the flows are written carefully. Both go through ``normalize`` so
that "¿Qué es el ASILO?", "q es el asilo" and "que es el asiloooo" compare equal, and the fuzzy
matcher only has to deal with real typos.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.text import fold_accents

__all__ = ["ABBREVIATIONS", "expanded", "normalize", "tokens"]

ABBREVIATIONS: dict[str, str] = {
    # Spanish SMS style
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "xq": "porque",
    "xk": "porque",
    "pq": "porque",
    "pk": "porque",
    "porq": "porque",
    "xke": "porque",
    "xque": "porque",
    "tb": "tambien",
    "tmb": "tambien",
    "tbn": "tambien",
    "tmbn": "tambien",
    "tambn": "tambien",
    "x": "por",
    "d": "de",
    "xa": "para",
    "pa": "para",
    "xfa": "por favor",
    "xfavor": "por favor",
    "porfa": "por favor",
    "porfis": "por favor",
    "dnd": "donde",
    "dnde": "donde",
    "cdo": "cuando",
    "qdo": "cuando",
    "cnd": "cuando",
    "bn": "bien",
    "toy": "estoy",
    "stoy": "estoy",
    "aki": "aqui",
    "kiero": "quiero",
    "kieres": "quieres",
    "kiere": "quiere",
    "kieren": "quieren",
    "kien": "quien",
    "grax": "gracias",
    "grx": "gracias",
    "grcs": "gracias",
    "grs": "gracias",
    "msj": "mensaje",
    "abg": "abogado",
    "abgdo": "abogado",
    "abogdo": "abogado",
    "lic": "licenciado",
    "eeuu": "estados unidos",
    "eua": "estados unidos",
    # English SMS style
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "thks": "thanks",
    "ty": "thank you",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "bcuz": "because",
    "wanna": "want to",
    "gonna": "going to",
    "idk": "i do not know",
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "cant": "can not",
    "cannot": "can not",
    "whats": "what is",
    "atty": "attorney",
}
"""Token-level expansions of common SMS spellings (only whole words are expanded)."""

_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_NOT_WORD = re.compile(r"[^\w]+|_+")
_APOSTROPHES = re.compile(r"[’'`´]")


def tokens(text: str, expand: bool = True) -> list[str]:
    """The words of ``text`` after normalisation, SMS abbreviations expanded when ``expand``.

    Steps: Unicode compatibility form and case folding; accents removed; apostrophes joined
    ("don't" → "dont"); runs of three or more of the same letter shortened to one
    ("asiloooo" → "asilo", "holaaa" → "hola"; doubled letters such as "ll" or "rr" stay);
    punctuation and emoji become spaces; letters and digits are split apart ("i589" → "i 589",
    "180dias" → "180 dias"); numbers are kept.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = fold_accents(text)
    text = _APOSTROPHES.sub("", text)
    text = _REPEATS.sub(r"\1", text)
    text = _NOT_WORD.sub(" ", text)
    text = _LETTER_DIGIT.sub(" ", text)
    words = text.split()
    return expanded(words) if expand else words


def expanded(words: Iterable[str]) -> list[str]:
    """``words`` (from ``tokens(..., expand=False)``) with SMS abbreviations expanded: what
    ``tokens`` returns, without normalising the text a second time."""
    out: list[str] = []
    for word in words:
        out.extend(ABBREVIATIONS.get(word, word).split())
    return out


def normalize(text: str, expand: bool = True) -> str:
    """``text`` as one normalised string of words separated by single spaces."""
    return " ".join(tokens(text, expand=expand))
