"""Word-level similarity on normalised words, built on rapidfuzz (no hand-written edit distance).

Whole messages are compared word by word rather than as one string: a phrase such as
"abogado gratis" must be found inside "necesito un abogdo gratis en el paso", and a short word
such as "cat" must never match inside "cartel". Typos are measured with rapidfuzz's optimal
string alignment distance (a swapped pair of letters, "secuestardo", counts as one typo). The
number of typos allowed grows with the length of the shorter word: none up to four letters,
where one wrong letter changes the meaning ("casa"/"cosa"), one up to nine ("audiencia" is not
"ausencia"), two beyond ("admnistrativo"). A long
shared beginning also counts, so that Spanish verb forms meet their nouns
("amenazaron"/"amenazas").
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA, Prefix

__all__ = ["WordIndex", "allowed_typos", "best_matches", "find_phrase", "similarity"]

_PREFIX_MIN = 6
"""A shared beginning this long (both words at least one letter longer) counts as a match."""
_PREFIX_SCORE = 85.0
_CUTOFF = 0.6
"""OSA normalised similarity a vocabulary word needs before ``similarity`` is asked."""


def allowed_typos(word: str, strict: bool = False) -> int:
    """How many typos a word of this length may carry and still match.

    ``strict`` (used for danger words, where a false alarm is costly too) allows one at most,
    and asks for a longer shared beginning (seven letters) before counting one.
    """
    size = len(word)
    if size <= 4:
        return 0
    if size <= 9 or strict:
        return 1
    return 2


def similarity(a: str, b: str, strict: bool = False) -> float:
    """How alike two normalised words are (0-100); 0 when they do not match."""
    if a == b:
        return 100.0
    shorter = a if len(a) <= len(b) else b
    distance = OSA.distance(a, b)
    if distance <= allowed_typos(shorter, strict):
        return 100.0 * (1.0 - distance / max(len(a), len(b)))
    prefix = _PREFIX_MIN + 1 if strict else _PREFIX_MIN
    if len(shorter) > prefix and Prefix.similarity(a, b) >= prefix:
        return _PREFIX_SCORE
    return 0.0


def best_matches(word: str, vocabulary: Sequence[str] | WordIndex) -> list[tuple[str, float]]:
    """Vocabulary words that match ``word``, with their similarity (``process.extract``).

    A ``WordIndex`` gives the same answer as its plain word list, faster (see there)."""
    if isinstance(vocabulary, WordIndex):
        return vocabulary.matches(word)
    found = process.extract(
        word, vocabulary, scorer=OSA.normalized_similarity, score_cutoff=_CUTOFF, limit=None
    )
    scores = {choice: similarity(word, choice) for choice, _score, _index in found}
    if len(word) > _PREFIX_MIN:
        stem = word[:_PREFIX_MIN]
        for choice in vocabulary:
            if choice not in scores and choice.startswith(stem):
                scores[choice] = similarity(word, choice)
    return [(choice, score) for choice, score in scores.items() if score]


class WordIndex:
    """A vocabulary arranged so that ``best_matches`` need not read all of it for every word.

    Why: a word the keywords do not hold is compared with every keyword word, per message.
    Two facts cut that down without changing the answer: the OSA distance of two words is at
    least the difference of their lengths, so a word can only reach the similarity cut-off
    with words of a few nearby lengths (kept together here); and words sharing a beginning are
    found by that beginning in a dictionary rather than by reading the list.
    """

    def __init__(self, words: Sequence[str]) -> None:
        self.words = tuple(words)
        self._by_length: dict[int, list[str]] = {}
        for choice in self.words:
            self._by_length.setdefault(len(choice), []).append(choice)
        self._near: dict[int, tuple[str, ...]] = {}
        self._by_prefix: dict[str, list[str]] = {}
        for choice in self.words:
            if len(choice) >= _PREFIX_MIN:
                self._by_prefix.setdefault(choice[:_PREFIX_MIN], []).append(choice)

    def _of_length(self, size: int) -> tuple[str, ...]:
        """Words whose length lets them reach the cut-off against a word of ``size`` letters."""
        found = self._near.get(size)
        if found is None:
            found = tuple(
                choice
                for length, group in sorted(self._by_length.items())
                if 1.0 - abs(length - size) / max(length, size, 1) >= _CUTOFF - 1e-9
                for choice in group
            )
            self._near[size] = found
        return found

    def matches(self, word: str) -> list[tuple[str, float]]:
        """What ``best_matches(word, self.words)`` returns."""
        found = process.extract(
            word,
            self._of_length(len(word)),
            scorer=OSA.normalized_similarity,
            score_cutoff=_CUTOFF,
            limit=None,
        )
        scores = {choice: similarity(word, choice) for choice, _score, _index in found}
        if len(word) > _PREFIX_MIN:
            for choice in self._by_prefix.get(word[:_PREFIX_MIN], ()):
                if choice not in scores:
                    scores[choice] = similarity(word, choice)
        return [(choice, score) for choice, score in scores.items() if score]


def find_phrase(
    words: Sequence[str], phrase: Sequence[str], max_gap: int = 1, strict: bool = False
) -> float:
    """The mean similarity of ``phrase`` found in order inside ``words`` (0 when absent).

    Up to ``max_gap`` extra words may sit between two words of the phrase ("me quieren ya
    matar"), since people add words; the order must hold, because order carries meaning.
    """
    if not phrase or len(phrase) > len(words):
        return 0.0
    best = 0.0
    for start, word in enumerate(words):
        first = similarity(word, phrase[0], strict)
        if not first:
            continue
        total, position, complete = first, start, True
        for part in phrase[1:]:
            found = 0.0
            for step in range(1, max_gap + 2):
                index = position + step
                if index >= len(words):
                    break
                found = similarity(words[index], part, strict)
                if found:
                    position = index
                    break
            if not found:
                complete = False
                break
            total += found
        if complete:
            best = max(best, total / len(phrase))
    return best
