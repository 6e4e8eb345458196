"""Which enabled language a short message is written in, so the helpline can offer to switch.

``NgramGuesser`` is a small naive Bayes model over character n-grams (1-4 letters, inside word
boundaries) trained on the helpline's own text: every translated string of the catalogs (the
English msgid and each language's msgstr) and the examples and keywords of every screen. It is a
few hundred kilobytes of counts, trained in milliseconds, and measured on ``nlu-eval`` against
``lingua-language-detector`` (which is kept out of the service: its wheel is about 96 MB and it
adds about 30 MB to every worker). ``LinguaGuesser`` is here only for that comparison; it needs
the ``lingua-language-detector`` package, which ``nlu-eval`` uses when it is installed.

One word is weak evidence ("no", "ok" and "hola" are typed by everyone), so the guess is
``None`` unless the difference in log-probability per n-gram reaches ``margin``, and a message
of one short word is never guessed. Offering the wrong language is worse than not offering one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from bot.nlu.normalize import tokens

__all__ = ["LinguaGuesser", "NgramGuesser"]

MAX_N = 4
MIN_LETTERS = 4
"""Fewer letters than this (all words together) get no guess."""


def _grams(words: Sequence[str]) -> list[str]:
    grams: list[str] = []
    for word in words:
        if word.isdigit():
            continue
        padded = f" {word} "
        for n in range(1, MAX_N + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


class NgramGuesser:
    """Guesses the language of short text among the languages it was trained on."""

    def __init__(self, texts: Mapping[str, Iterable[str]], margin: float = 0.25) -> None:
        self.languages = [code for code in texts]
        self.margin = margin
        counts = {
            code: Counter(_grams(tokens(" ".join(items), expand=False)))
            for code, items in texts.items()
        }
        vocabulary = set().union(*counts.values()) if counts else set()
        size = len(vocabulary) + 1
        self._log: dict[str, dict[str, float]] = {}
        self._unseen: dict[str, float] = {}
        for code, counter in counts.items():
            total = sum(counter.values()) + size
            self._log[code] = {g: math.log((n + 1) / total) for g, n in counter.items()}
            self._unseen[code] = math.log(1 / total)
        self._pair: tuple[str, str] | None = None
        self._difference: dict[str, float] = {}
        if len(self.languages) == 2:
            first, second = self.languages
            self._pair = (first, second)
            a, b = self._log[first], self._log[second]
            ua, ub = self._unseen[first], self._unseen[second]
            self._difference = {g: a.get(g, ua) - b.get(g, ub) for g in vocabulary}
        self._words: dict[str, tuple[float, int]] = {}
        """For every training word: (sum of its n-grams' differences, their number), so that a
        message's known words cost one look-up each (others are cut into n-grams per message
        and forgotten)."""
        if self._pair is not None:
            for items in texts.values():
                for word in tokens(" ".join(items), expand=False):
                    if word not in self._words:
                        self._words[word] = self._word_sum(word)

    def _word_sum(self, word: str) -> tuple[float, int]:
        grams = _grams([word])
        get = self._difference.get
        return sum(get(g, 0.0) for g in grams), len(grams)

    def scores(self, words: Sequence[str]) -> dict[str, float]:
        """Mean log-probability per n-gram for each language."""
        grams = _grams(words)
        if not grams:
            return {}
        return {
            code: sum(table.get(g, self._unseen[code]) for g in grams) / len(grams)
            for code, table in self._log.items()
        }

    def guess(self, text: str, words: Sequence[str] | None = None) -> str | None:
        """The language of ``text`` (whose normalised words may be given), or ``None``."""
        words = tokens(text, expand=False) if words is None else words
        letters = sum(len(w) for w in words if not w.isdigit())
        if len(self._log) < 2 or letters < MIN_LETTERS:
            return None
        if self._pair is not None:  # two languages: one table lookup per word or n-gram
            total, count = 0.0, 0
            for word in words:
                found = self._words.get(word)
                part, n = found if found is not None else self._word_sum(word)
                total += part
                count += n
            mean = total / count
            if abs(mean) < self.margin:
                return None
            return self._pair[0] if mean > 0 else self._pair[1]
        ranked = sorted(self.scores(words).items(), key=lambda item: -item[1])
        (best, top), (_, second) = ranked[0], ranked[1]
        return best if top - second >= self.margin else None


class LinguaGuesser:
    """``lingua-language-detector`` limited to the enabled languages (for comparison only)."""

    def __init__(self, languages: Sequence[str], strong: float = 0.85) -> None:
        from lingua import (  # type: ignore[import-not-found,unused-ignore]
            IsoCode639_1,
            LanguageDetectorBuilder,
        )

        codes = [IsoCode639_1.from_str(code) for code in languages]
        self._detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
        self.strong = strong

    def guess(self, text: str, words: Sequence[str] | None = None) -> str | None:
        """Lingua's language when it is at least ``strong`` sure, else ``None``."""
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return None
        best = values[0]
        if best.value < self.strong:
            return None
        return str(best.language.iso_code_639_1.name.lower())
