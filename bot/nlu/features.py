"""TF-IDF features of one message, computed without scikit-learn, once for both models.

Why this exists: scikit-learn's ``transform`` and ``predict_proba`` validate their input and
build sparse matrices on every call, a few hundred microseconds for a single message, and the
matcher asks two models (topics, then screens) about every message. The numbers those calls
compute are simple, so they are computed here directly from the fitted objects' vocabularies and
IDF weights (``tests/nlu/test_features.py`` checks the result equals scikit-learn's own
``transform`` and ``predict_proba`` on every evaluation message):

* the n-grams are made exactly as scikit-learn's ``char_wb`` and ``word`` analyzers make them;
* a ``char_wb`` n-gram never crosses a word, so a message's character n-grams are its words'
  n-grams put together: the vocabulary indices of every *training* word's n-grams are looked up
  once, at load, and a message's known words cost one dictionary look-up each (words the model
  never saw are cut into n-grams per message and not remembered: no fragment of what someone
  wrote outlives their message);
* counting, sublinear TF, IDF and the L2 norm are a few numpy operations on the (at most a few
  hundred) features present, so the cost does not grow with the vocabulary;
* ``Counts`` (indices and sublinear term frequencies) do not depend on the IDF weights, so when
  two models share a vocabulary (the topic and screen models are trained on the same texts) the
  message is analysed once and each model applies its own weights and coefficients.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Counts", "FeatureIndex", "char_wb_ngrams", "word_ngrams"]

_EMPTY = np.zeros(0, dtype=np.int64)


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, exactly as scikit-learn's ``char_wb``
    analyzer makes them (each word padded with one space on each side)."""
    grams: list[str] = []
    for word in text.split():
        grams.extend(_word_char_grams(word, low, high))
    return grams


def _word_char_grams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < size:
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:  # the word is shorter than n: longer n-grams would repeat it
            break
    return grams


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams of whitespace-separated tokens, as scikit-learn's ``word`` analyzer with
    ``token_pattern=r"\\S+"`` makes them."""
    tokens_ = text.split()
    grams = list(tokens_) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens_)) + 1):
        grams.extend(" ".join(tokens_[i : i + n]) for i in range(len(tokens_) - n + 1))
    return grams


@dataclass(frozen=True)
class Counts:
    """The features present in one message: rows of the joined feature space (the character
    part first, then the word part shifted by the character vocabulary's size), their
    sublinear TF (``1 + log(count)``), and how many of them are character features."""

    rows: NDArray[np.int64]
    tf: NDArray[np.float64]
    split: int


class FeatureIndex:
    """A fitted pair of vocabularies (character n-grams, word n-grams) ready for one message."""

    def __init__(
        self,
        vocabularies: tuple[Mapping[str, int], Mapping[str, int]],
        char_ngrams: tuple[int, int],
        word_ngrams_: tuple[int, int],
        words: Iterable[str] = (),
    ) -> None:
        self.vocabularies = vocabularies
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams_
        chars = vocabularies[0]
        self._word_chars: dict[str, tuple[int, ...]] = {}
        """Vocabulary indices of each training word's character n-grams (computed at load)."""
        for word in set(words):
            self._word_chars[word] = self._char_indices(word, chars)

    def _char_indices(self, word: str, chars: Mapping[str, int]) -> tuple[int, ...]:
        low, high = self.char_ngrams
        return tuple(
            i for g in _word_char_grams(word, low, high) if (i := chars.get(g)) is not None
        )

    def counts(self, char_text: str, word_text: str) -> Counts:
        """The features of a message from its two prepared texts (see ``classifier.prepare``).
        ``Counter`` counts in C: for the few hundred n-grams of a message it is several times
        faster than ``np.unique``'s sort."""
        chars, vocabulary = self.vocabularies
        char_indices: list[int] = []
        for word in char_text.split():
            known = self._word_chars.get(word)
            char_indices.extend(known if known is not None else self._char_indices(word, chars))
        low, high = self.word_ngrams
        offset = len(chars)
        char_counts = Counter(char_indices)
        word_counts = Counter(
            i + offset
            for g in word_ngrams(word_text, low, high)
            if (i := vocabulary.get(g)) is not None
        )
        size = len(char_counts) + len(word_counts)
        if not size:
            return Counts(_EMPTY, np.zeros(0), 0)
        rows = np.fromiter((*char_counts.keys(), *word_counts.keys()), dtype=np.int64, count=size)
        counted = np.fromiter(
            (*char_counts.values(), *word_counts.values()), dtype=np.float64, count=size
        )
        return Counts(rows, 1.0 + np.log(counted), len(char_counts))


def decision(
    counts: Counts,
    idf: NDArray[np.float64],
    coef: NDArray[np.float32],
    intercept: NDArray[np.float64],
    word_weight: float,
) -> NDArray[np.float64]:
    """The linear model's decision values: L2-normalised TF-IDF of each part (the word part
    scaled by ``word_weight``) times ``coef`` (shape: features × labels), plus ``intercept``.
    ``idf`` is both parts' IDF weights joined, in the order of ``coef``'s rows."""
    if not len(counts.rows):
        return intercept.copy()
    tfidf = counts.tf * idf[counts.rows]
    chars, words = tfidf[: counts.split], tfidf[counts.split :]  # views: scaled in place
    if len(chars):
        chars *= 1.0 / math.sqrt(float(chars @ chars))
    if len(words):
        words *= word_weight / math.sqrt(float(words @ words))
    result = tfidf.astype(np.float32) @ coef[counts.rows]
    return np.asarray(result, dtype=np.float64) + intercept
