"""The fuzzy keyword matcher: word-by-word typo-tolerant matching of the flows' ``keywords``.

It was the helpline's only matcher before the trained classifier (``bot.nlu.matcher``); it is kept
as a second opinion the classifier consults when it is unsure (``TextMatcher``), where the dev
set measured that it adds accuracy, and for comparison in ``nlu-eval``. On its own it asks:

1. Danger words (``bot.nlu.danger``) → the ``emergency`` node, always first, in every language.
2. Only a greeting, thanks or "help" (``bot.nlu.smalltalk``) → the ``main`` or ``help`` node.
3. Only little words ("who are you") → a keyword that is exactly that message, or nothing.
4. Keywords from the flows (``keywords: {en: [...], es: [...]}`` on each node), in every
   language at once, since people mix languages. Each keyword is compared word by word with
   the message (``bot.nlu.fuzzy``, rapidfuzz underneath), ignoring stop words, so that typos,
   missing accents and extra words do not matter. A node's evidence is the share of the
   message's meaningful words that its keywords explain, words shared by fewer topics counting
   more and words no keyword resembles counting against; evidence from other nodes of the
   same topic adds a little ("tarjeta verde" + "asilo" favours the asylum screen on green
   cards over the withholding one).
5. The best node is returned when its confidence reaches ``Settings.confident`` and no node of
   another topic comes within ``Settings.margin``; two or three candidates ("Did you mean")
   when it is a close call or the confidence only reaches ``Settings.candidate``; nothing
   otherwise.

The thresholds were chosen by a grid search on the ``dev`` rows of ``tests/data/nlu_eval.tsv``
(``python -m bot nlu-eval`` prints the figures); the ``held`` rows were not used to tune them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.engine.model import Flows
from bot.engine.types import Match
from bot.nlu.danger import DangerDetector
from bot.nlu.fuzzy import WordIndex, best_matches, find_phrase
from bot.nlu.language import NgramGuesser
from bot.nlu.normalize import tokens
from bot.nlu.smalltalk import SmallTalk
from bot.nlu.stopwords import STOPWORDS
from bot.nlu.topics import topic_map

__all__ = ["EMERGENCY", "FuzzyMatcher", "Phrase", "Settings"]

EMERGENCY = "emergency"
MAX_WORDS = 40
"""Only the first words of a long message are matched to a topic (a question fits in fewer)."""
MAX_SCAN = 4096
"""Danger words are looked for in this many characters (Telegram's longest message)."""
MAX_LANGUAGE = 300
"""Language identification reads this many characters: plenty, and its cost grows with length."""


@dataclass(frozen=True)
class Settings:
    """The matcher's tunable numbers (defaults measured on the evaluation set)."""

    confident: float = 0.45
    """Confidence at or above which the best node is chosen outright."""
    candidate: float = 0.3
    """Confidence at or above which a node is offered as a "Did you mean" choice."""
    margin: float = 0.1
    """A node of another topic within this share of the best score makes it a close call."""
    unknown_weight: float = 0.35
    """How much a word that no keyword resembles counts against confidence."""
    topic_bonus: float = 0.3
    """Share of the evidence from sibling nodes of the same topic added to a node's own."""
    order_bonus: float = 0.1
    """Extra weight for a keyword of several words found in order, as written."""
    loose: float = 0.4
    """Weight of a keyword that is one word plus stop words ("se me pasó") when only that word
    is found: "el paso" the city is not "se me pasó el plazo"."""
    partial: float = 0.5
    """A keyword of several words counts, less (by the square of the share), when this share
    of its words is found."""
    typo_power: float = 3.0
    """A word matched with typos counts its similarity to this power (0.9 → 0.73): "comprar"
    is one letter from "comparar", and both are real words."""
    max_candidates: int = 3


@dataclass(frozen=True)
class Phrase:
    """One keyword of one node, normalised."""

    node: str
    language: str
    words: tuple[str, ...]
    """All words, in order."""
    content: tuple[str, ...]
    """The words that carry meaning (all words when every one is a stop word)."""

    @property
    def text(self) -> str:
        """The normalised keyword as one string."""
        return " ".join(self.words)


@dataclass
class _Evidence:
    """What one node's keywords explain in one message: message word index → weight."""

    words: dict[int, float] = field(default_factory=dict)
    longest: int = 0

    def add(self, index: int, weight: float) -> None:
        if weight > self.words.get(index, 0.0):
            self.words[index] = weight

    @property
    def total(self) -> float:
        return sum(self.words.values())


class FuzzyMatcher:
    """Matches free text against the flows' keywords; implements ``bot.engine.types.Matcher``."""

    def __init__(
        self,
        phrases: Iterable[Phrase],
        topics: dict[str, str],
        languages: Sequence[str],
        danger: DangerDetector,
        smalltalk: SmallTalk,
        settings: Settings | None = None,
        nodes: Iterable[str] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.phrases = tuple(phrases)
        self.topics = topics
        self.languages = list(languages)
        self.danger = danger
        self.smalltalk = smalltalk
        self.nodes = set(nodes) if nodes is not None else {p.node for p in self.phrases}
        by_word: dict[str, list[int]] = defaultdict(list)
        topics_of_word: dict[str, set[str]] = defaultdict(set)
        vocabulary_by_language: dict[str, set[str]] = defaultdict(set)
        for index, phrase in enumerate(self.phrases):
            for word in set(phrase.content):
                by_word[word].append(index)
                topics_of_word[word].add(topics.get(phrase.node, phrase.node))
            vocabulary_by_language[phrase.language].update(phrase.words)
        self._by_word = dict(by_word)
        self._topics_of_word = dict(topics_of_word)
        for code, words in (("es", _SMALLTALK_ES), ("en", _SMALLTALK_EN)):
            vocabulary_by_language[code].update(words)
        self.vocabulary: tuple[str, ...] = tuple(sorted(self._by_word))
        self._index = WordIndex(self.vocabulary)
        whole: dict[str, list[str]] = defaultdict(list)
        for phrase in self.phrases:
            if all(w in STOPWORDS for w in phrase.words) and phrase.node not in whole[phrase.text]:
                whole[phrase.text].append(phrase.node)
        self._whole = {text: tuple(nodes) for text, nodes in whole.items()}
        self.guesser = NgramGuesser(
            {
                c: sorted(vocabulary_by_language[c])
                for c in self.languages
                if c in vocabulary_by_language
            }
        )
        self._known: dict[str, dict[str, float]] = {}

    @classmethod
    def from_flows(
        cls, flows: Flows, languages: Sequence[str], settings: Settings | None = None
    ) -> FuzzyMatcher:
        """Build the matcher from every node's ``keywords`` (all languages written there).

        Keywords of every node, ``emergency``, ``main`` and ``help`` included, take part in
        ordinary matching. The danger words that override everything else and the greetings
        are built in (``bot.nlu.danger``, ``bot.nlu.smalltalk``): an editor's broad keyword
        such as "police" on the emergency screen must not send every question about the
        police to the emergency screen before the topic screens are even considered.
        """
        phrases = [
            phrase
            for node in flows.nodes.values()
            for language, keywords in node.keywords.items()
            for keyword in keywords
            if (phrase := make_phrase(node.id, language, keyword)) is not None
        ]
        return cls(
            phrases,
            topic_map(flows),
            languages,
            DangerDetector(),
            SmallTalk(),
            settings,
            nodes=flows.nodes,
        )

    # -- the Matcher protocol -------------------------------------------------------------------

    def match(self, text: str, locale: str) -> Match:
        """The node ``text`` asks for, candidates for a close call, or no node."""
        scanned = tokens(text[:MAX_SCAN])
        words = scanned[:MAX_WORDS]
        if not words:
            return Match(node=None, confidence=0.0)
        language = self.guesser.guess(text[:MAX_LANGUAGE], words)
        if self.danger.check(scanned):
            return Match(node=EMERGENCY, confidence=1.0, language=language, danger=True)
        small = self.smalltalk.screen(words, text, self.nodes)
        if small is not None:
            node, danger = small
            return Match(node=node, confidence=1.0, language=language, danger=danger)
        if all(w in STOPWORDS for w in words):
            return self._whole_message(words, language)
        ranked = self.rank(words)
        return self._decide(ranked, language)

    def _whole_message(self, words: Sequence[str], language: str | None) -> Match:
        """A message of little words only ("who are you") matches only a keyword that is
        exactly that message: such words are everywhere, so nothing less is evidence."""
        nodes = self._whole.get(" ".join(words), ())
        if len(nodes) == 1:
            return Match(node=nodes[0], confidence=1.0, language=language)
        return Match(
            node=None,
            confidence=1.0 if nodes else 0.0,
            candidates=nodes[: self.settings.max_candidates],
            language=language,
        )

    # -- scoring --------------------------------------------------------------------------------

    def rank(
        self, words: Sequence[str], memo: dict[str, dict[str, float]] | None = None
    ) -> list[tuple[str, float, int]]:
        """Nodes with their score (confidence before capping at 1) and longest matched keyword
        in letters, best first. ``memo`` (one message's, see ``_similar``) saves looking the
        same word up twice."""
        meaningful = [i for i, w in enumerate(words) if w not in STOPWORDS]
        if not meaningful:
            return []
        similar = {i: self._similar(words[i], memo) for i in meaningful}
        weights: dict[int, float] = {}
        candidates: set[int] = set()
        for i, found in similar.items():
            topics: set[str] = set()
            for word in found:
                candidates.update(self._by_word[word])
                topics.update(self._topics_of_word[word])
            weights[i] = 1.0 / math.sqrt(len(topics)) if topics else self.settings.unknown_weight
        evidence: dict[str, _Evidence] = defaultdict(_Evidence)
        for index in candidates:
            self._score_phrase(self.phrases[index], words, similar, weights, evidence)
        if not evidence:
            return []
        denominator = sum(weights.values())
        by_topic: dict[str, dict[int, float]] = defaultdict(dict)
        for node, explained in evidence.items():
            merged = by_topic[self.topics.get(node, node)]
            for i, weight in explained.words.items():
                merged[i] = max(merged.get(i, 0.0), weight)
        ranked: list[tuple[str, float, int]] = []
        for node, explained in evidence.items():
            own = explained.total
            topic_total = sum(by_topic[self.topics.get(node, node)].values())
            score = own + self.settings.topic_bonus * (topic_total - own)
            ranked.append((node, score / denominator, explained.longest))
        roots = set(self.topics.values())
        ranked.sort(key=lambda item: (-item[1], -item[2], item[0] not in roots, item[0]))
        return ranked

    def _similar(
        self, word: str, memo: dict[str, dict[str, float]] | None = None
    ) -> dict[str, float]:
        """Keyword words like ``word``, with similarity 0-1.

        Only words that are themselves keyword words are remembered between messages (most
        words people type about a topic are); any other word is looked up each time and then
        forgotten, so no fragment of what someone wrote outlives their message. ``memo`` is a
        dictionary the caller keeps for one message only (and then drops), so that a word
        looked up for two purposes in the same message is looked up once.
        """
        known = self._known.get(word)
        if known is not None:
            return known
        if memo is not None and word in memo:
            return memo[word]
        found = {choice: score / 100.0 for choice, score in best_matches(word, self._index)}
        if word in self._by_word:
            self._known[word] = found
        elif memo is not None:
            memo[word] = found
        return found

    def _score_phrase(
        self,
        phrase: Phrase,
        words: Sequence[str],
        similar: dict[int, dict[str, float]],
        weights: dict[int, float],
        evidence: dict[str, _Evidence],
    ) -> None:
        hits: list[tuple[int, float]] = []
        for part in phrase.content:
            best_index, best = -1, 0.0
            for i, found in similar.items():
                score = found.get(part, 0.0)
                if score > best:
                    best_index, best = i, score
            if best_index >= 0:
                sure = best**self.settings.typo_power
                hits.append((best_index, sure * weights[best_index]))
        if not hits:
            return
        share = len(hits) / len(phrase.content)
        if share < self.settings.partial:
            return
        factor = share * share
        letters = 0
        if share == 1.0:
            letters = sum(len(w) for w in phrase.content)
            if len(phrase.words) > len(phrase.content):
                if find_phrase(words, phrase.words):
                    factor *= 1.0 + self.settings.order_bonus
                    letters = sum(len(w) for w in phrase.words)
                elif len(phrase.content) == 1:
                    factor *= self.settings.loose
        node = evidence[phrase.node]
        for index, weight in hits:
            node.add(index, weight * factor)
        node.longest = max(node.longest, letters)

    # -- decision -------------------------------------------------------------------------------

    def _decide(self, ranked: list[tuple[str, float, int]], language: str | None) -> Match:
        settings = self.settings
        if not ranked or ranked[0][1] < settings.candidate:
            return Match(node=None, confidence=ranked[0][1] if ranked else 0.0, language=language)
        best, confidence, _ = ranked[0]
        best_topic = self.topics.get(best, best)
        rivals = [
            score for node, score, _ in ranked[1:] if self.topics.get(node, node) != best_topic
        ]
        close = bool(rivals) and rivals[0] >= confidence * (1.0 - settings.margin)
        if confidence >= settings.confident and not close:
            return Match(node=best, confidence=min(confidence, 1.0), language=language)
        floor = max(settings.candidate, confidence * (1.0 - 2 * settings.margin))
        choices = tuple(node for node, score, _ in ranked if score >= floor)[
            : settings.max_candidates
        ]
        if len(choices) == 1 and confidence >= settings.confident:
            return Match(node=best, confidence=min(confidence, 1.0), language=language)
        return Match(
            node=None, confidence=min(confidence, 1.0), candidates=choices, language=language
        )


def make_phrase(node: str, language: str, keyword: str) -> Phrase | None:
    """A normalised keyword, or ``None`` when nothing is left of it after normalisation."""
    words = tuple(tokens(keyword))
    if not words:
        return None
    content = tuple(w for w in words if w not in STOPWORDS) or words
    return Phrase(node=node, language=language, words=words, content=content)


_SMALLTALK_ES = {"hola", "buenas", "gracias", "ayuda", "ayudame", "buenos", "dias", "tardes"}
_SMALLTALK_EN = {"hello", "hi", "hey", "thanks", "thank", "help", "morning", "please"}
