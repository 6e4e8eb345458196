"""Which enabled language a short message is written in, so the helpline can offer to switch.

``lingua-language-detector`` is built for short text and is restricted here to the enabled
languages (a two-way choice is far more reliable than picking among 75). One word is still
weak evidence ("no", "ok" and "hola" are typed by everyone), so a single word is trusted only
when lingua is sure or when the word is known from one language's keywords alone. When in
doubt the guess is ``None``: offering the wrong language is worse than not offering one.

The rule: words found in only one language's keywords (or greetings) decide, unless lingua is
sure of the other language; with no such word, lingua decides for two words or more when its
confidence reaches ``STRONG``; otherwise there is no guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

__all__ = ["LanguageGuesser"]

STRONG = 0.85
"""Lingua's confidence above which its guess for two words or more is taken on its own."""


def _iso(code: str) -> IsoCode639_1 | None:
    try:
        return IsoCode639_1.from_str(code)
    except ValueError:
        return None


class LanguageGuesser:
    """Guesses the language of short text among the enabled languages."""

    def __init__(
        self,
        languages: Sequence[str],
        vocabulary: Mapping[str, set[str]] | None = None,
    ) -> None:
        self.languages = [code for code in languages if _iso(code) is not None]
        codes = [iso for iso in (_iso(c) for c in self.languages) if iso is not None]
        self._detector: LanguageDetector | None = None
        if len(codes) >= 2:
            self._detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
        vocabulary = vocabulary or {}
        self._own_words: dict[str, str] = {}
        for code in self.languages:
            others = set().union(*(vocabulary.get(o, set()) for o in self.languages if o != code))
            for word in vocabulary.get(code, set()) - others:
                self._own_words[word] = code

    def confidences(self, text: str) -> dict[str, float]:
        """Lingua's confidence for each enabled language (empty with fewer than two)."""
        if self._detector is None:
            return {}
        values = self._detector.compute_language_confidence_values(text)
        return {v.language.iso_code_639_1.name.lower(): v.value for v in values}

    def guess(self, text: str, words: Sequence[str]) -> str | None:
        """The language of ``text`` (whose normalised words are ``words``), or ``None``."""
        letters = [w for w in words if not w.isdigit()]
        if self._detector is None or not letters:
            return None
        values = self.confidences(text)
        code, confidence = max(values.items(), key=lambda item: item[1])
        votes = {self._own_words[w] for w in letters if w in self._own_words}
        if len(votes) == 1:
            (voted,) = votes
            if voted == code or confidence < STRONG:
                return voted
            return None
        if not votes and len(letters) >= 2 and confidence >= STRONG:
            return code
        return None
