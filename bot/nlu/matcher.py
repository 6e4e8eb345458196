"""Free text to a screen: the ``Matcher`` the engine consults when someone types instead of tapping.

The questions asked of every message, in order (each ends the search when it answers):

1. **Danger** (``bot.nlu.danger``, phrases in ``flows/nlu/danger.yaml``) → the emergency screen,
   with ``danger`` set so the engine shows it before anything else, on every screen.
2. **The classifier's own emergency class**: a message the model gives at least
   ``Settings.danger`` probability of being a cry for help is one too (from
   ``CLASSIFIER_ALARM_WORDS`` words up), unless it clearly tells the past, what would happen on
   return, the news or what to write in the case (the same quiet lists as the phrases).
3. **Fear alone** ("tengo miedo") → ``danger_check`` («¿Está en peligro ahora mismo?»), unless
   the message confidently asks about a topic ("tengo miedo de regresar, puedo pedir asilo?");
   the same for the other phrases that count alone ("estan aqui" → the emergency screen).
4. **Only a greeting, thanks or a plea for help** (``bot.nlu.smalltalk``) → ``main``, or
   «¿Está en peligro ahora mismo?» for a bare "ayuda" / "help me", or ``help`` for "como
   funciona".
5. **The classifier** (``bot.nlu.classifier``, trained from every screen's ``examples`` and
   ``keywords``, from off-topic chatter, and, for the topic, from the labelled messages of
   ``flows/nlu/messages``, ``bot.nlu.messages``; greetings and apologies are taken out first, from
   the training texts and the message alike: ``bot.nlu.smalltalk.without_courtesy``): its
   probabilities are added up per topic, so that two screens of the same topic do not split the
   vote. The best topic's best screen is chosen when the topic reaches ``Settings.confident``
   and no other topic is within ``Settings.margin``; topics that reach ``Settings.candidate``
   are offered as buttons ("Did you mean") otherwise; nothing is offered when the off-topic
   class wins or nothing reaches it.
   The engine then says so kindly, with the main menu and the 🆘 button.

The thresholds were chosen on the ``dev`` rows (``tests/data/nlu_eval.tsv``); the held-out rows
(``tests/data/nlu_eval_held.tsv``) were written before any tuning and never used for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bot.engine.model import Flows
from bot.engine.types import Localizer, Match
from bot.nlu.classifier import ClassifierConfig, TextClassifier, is_cached, stem, train_cached
from bot.nlu.danger import EMERGENCY, DangerDetector, DangerHit
from bot.nlu.features import Counts
from bot.nlu.keywords import FuzzyMatcher
from bot.nlu.language import NgramGuesser
from bot.nlu.messages import learned_messages
from bot.nlu.normalize import expanded, tokens
from bot.nlu.offtopic import OFF_TOPIC, load_offtopic
from bot.nlu.smalltalk import SmallTalk, without_courtesy
from bot.nlu.stopwords import ENGLISH, SPANISH, STOPWORDS
from bot.nlu.topics import topic_map

__all__ = [
    "DANGER_CHECK",
    "EMERGENCY",
    "Settings",
    "TextMatcher",
    "catalog_texts",
    "is_trained",
    "training_data",
]

DANGER_CHECK = "danger_check"
MAX_WORDS = 160
"""Only the first words of a very long message are matched to a topic. It was 40, but a long
story often ends with its question: on unseen set AH (42 messages of 60-150 words) 40 words
offered the right screen for 82.0% and caught 92.0% of the cries for help, 160 words 88.7% and
100%; the check sets' false alarms went from 9 to 6 of 2,237."""
MAX_SCAN = 4096
"""Danger is looked for in this many characters (Telegram's longest message)."""
MAX_LANGUAGE = 200
"""Language identification reads this many characters."""
_FEELING = frozenset(
    {
        *("miedo", "temor", "panico", "asustado", "asustada", "aterrado", "aterrada", "siento"),
        *("inseguro", "insegura", "mucho", "mucha", "tanto", "demasiado", "da", "ahora", "todo"),
        *("scared", "afraid", "frightened", "terrified", "fear", "panic", "unsafe", "feel"),
        *("really", "very", "too", "alone", "sola", "solo", "now", "hacer", "se", "do"),
        *("nervios", "nervioso", "nerviosa", "ansiedad", "ansioso", "ansiosa", "angustia"),
        *("temblando", "tiemblo", "tiembla", "susto", "horrible", "feo", "pecho", "cuerpo"),
        *("nervous", "anxious", "anxiety", "shaking", "so", "all", "time", "tiempo", "dia"),
    }
)
"""Words that only say how someone feels; with nothing else, fear asks «¿Está en peligro?»."""
CLASSIFIER_ALARM_WORDS = 4
"""The classifier alone raises the alarm only on a message of at least this many words: on two
or three ("mande foto") it has too little to read, and short cries for help are the phrases'
work ("ayudenme", "me quieren matar")."""


@dataclass(frozen=True)
class Settings:
    """The matcher's tunable numbers (chosen on the dev set)."""

    confident: float = 0.7
    """A topic with at least this probability is answered outright (when no rival is close)."""
    candidate: float = 0.2
    """A topic with at least this probability is offered as a button."""
    long_words: int = 20
    candidate_long: float = 0.1
    """From ``long_words`` words up, a topic is offered from ``candidate_long``: a long message
    tells a story and asks two or three things, so the vote spreads over topics, and a long,
    careful message answered with nothing is the worst dead end (offered on unseen set C
    96.0 -> 97.6 %, F 96.1 -> 96.9 %, dev, held-out and fresh unchanged)."""
    rival: float = 0.12
    """When the best topic is not answered outright, another topic with at least this
    probability is offered beside it."""
    margin: float = 0.5
    """A rival topic with more than ``1 - margin`` of the best one's probability is close."""
    danger: float = 0.55
    """The classifier's emergency probability that raises the alarm on its own: the second net
    under the phrases, for cries for help worded like none of them. Since the emergency screen
    learned from long, realistic cries for help (2026-12-01), 0.55 is the highest value that
    loses no danger row on dev, fresh and the unseen check sets C, E and F, with fewer false
    alarms than 0.5 on each (dev 0.3 -> 0.2 %, fresh 1.2 -> 0.8 %, E 4.3 -> 3.5 %)."""
    fear_topic: float = 0.3
    """Fear with a topic this likely goes to the topic, not to the danger question. 0.2 before
    the unseen round AS-BR (2026-12-01); on dev, fresh and every check set, 0.3 answers 88.6 %
    of fear alone with the question instead of 81.1 %, with the best top-1 of 0.2-0.5 (92.9 %)
    and 0.1 % of other messages asked it (0.4: 90.6 % and 0.2 %, top-1 a little lower)."""
    here_topic: float = 0.2
    """A phrase said alone that alarms ("estan aqui") with a topic this likely goes to the
    topic: "mi abogado esta aqui en la misma ciudad" asks about legal aid (0.23)."""
    known: float = 0.34
    """Share of a message's meaningful words the screens' training text must know (as written
    or by stem) before anything less than a confident answer is offered: "quien gano el
    partido" shares letters with many screens but not one word."""
    alone: float = 0.45
    """A topic this likely with no other topic worth a button is answered outright: one
    "Did you mean" button would only cost a tap."""
    max_candidates: int = 3
    second_opinion: bool = True
    """Ask the fuzzy keyword matcher before offering buttons when the classifier is unsure."""


def training_data(flows: Flows, offtopic: Iterable[str] = ()) -> tuple[list[list[str]], list[str]]:
    """(normalised texts, labels): every example and keyword of every screen, and off-topic."""
    texts: list[list[str]] = []
    labels: list[str] = []
    for node in flows.nodes.values():
        for source in (node.examples, node.keywords):
            for items in source.values():
                for item in items:
                    words = without_courtesy(tokens(item))
                    if words:
                        texts.append(words)
                        labels.append(node.id)
    for item in offtopic:
        words = without_courtesy(tokens(item))
        if words:
            texts.append(words)
            labels.append(OFF_TOPIC)
    return texts, labels


def _training_sets(
    flows: Flows, flows_dir: Path | None
) -> tuple[list[list[str]], list[str], list[str]]:
    """(texts, screen labels, topic labels): what the two models of ``TextMatcher`` learn."""
    texts, labels = training_data(flows, load_offtopic(flows_dir))
    if len(set(labels) - {OFF_TOPIC}) < 2:
        # Content without examples or keywords (a test, a new deployment): the titles are
        # all there is to learn from, and a classifier needs two labels at least.
        for node in flows.nodes.values():
            texts.append(tokens(node.title) or [node.id])
            labels.append(node.id)
    topics = topic_map(flows)
    return texts, labels, [topics.get(label, label) for label in labels]


def _topic_sets(
    flows: Flows, flows_dir: Path | None, texts: list[list[str]], topic_labels: list[str]
) -> tuple[list[list[str]], list[str]]:
    """What the topic model learns: ``texts`` and ``topic_labels`` (the examples, keywords and
    off-topic chatter) and the labelled messages (``bot.nlu.messages``) whose screen is in
    ``flows``. The screen model learns ``texts`` alone: a message names its topic, not always
    the screen within it."""
    topics = topic_map(flows)
    known = {*topics.values(), *flows.nodes, OFF_TOPIC}
    pairs = [(words, topics.get(s, s)) for words, s in learned_messages(flows_dir) if s in known]
    return [*texts, *(w for w, _ in pairs)], [*topic_labels, *(label for _, label in pairs)]


def is_trained(
    flows: Flows,
    flows_dir: Path | None = None,
    config: ClassifierConfig | None = None,
    cache_dir: Path | None = None,
) -> bool:
    """Whether both models for this content are cached, so ``from_flows`` trains nothing."""
    texts, labels, topic_labels = _training_sets(flows, flows_dir)
    topic_texts, topic_labels = _topic_sets(flows, flows_dir, texts, topic_labels)
    return is_cached(topic_texts, topic_labels, config, cache_dir=cache_dir) and is_cached(
        texts, labels, config, calibrated=False, cache_dir=cache_dir
    )


def catalog_texts(flows: Flows, localizer: Localizer) -> dict[str, list[str]]:
    """Every title, message and button label of the flows in each enabled language (only
    strings really translated: an untranslated msgid is English, not the other language)."""
    msgids = list(
        dict.fromkeys(
            text
            for node in flows.nodes.values()
            for text in (
                node.title,
                *(m.text for m in node.messages),
                *(b.label for b in node.buttons),
            )
        )
    )
    texts: dict[str, list[str]] = {}
    for code in localizer.locales:
        translator = localizer.translator(code)
        if code == "en":
            texts[code] = msgids
        else:
            texts[code] = [t for m in msgids if (t := translator.gettext(m)) != m]
    return texts


class TextMatcher:
    """Danger detector, small talk and a trained classifier; implements the engine's ``Matcher``."""

    def __init__(
        self,
        classifier: TextClassifier,
        screens: TextClassifier,
        topics: Mapping[str, str],
        languages: Sequence[str],
        danger: DangerDetector,
        guesser: NgramGuesser,
        nodes: Iterable[str],
        settings: Settings | None = None,
    ) -> None:
        self.classifier = classifier
        """Calibrated probabilities over topics (and ``-``)."""
        self.screens = screens
        """Scores over screens, to choose the screen within the chosen topic."""
        self.topics = dict(topics)
        self.languages = list(languages)
        self.danger = danger
        self.guesser = guesser
        self.smalltalk = SmallTalk()
        self.nodes = set(nodes)
        self.settings = settings or Settings()
        self._screen_topics = [self.topics.get(label, label) for label in screens.labels]
        by_topic: dict[str, list[int]] = defaultdict(list)
        for i, (label, topic) in enumerate(zip(screens.labels, self._screen_topics, strict=True)):
            if label in self.nodes:
                by_topic[topic].append(i)
        self._topic_screens = {t: np.asarray(v, dtype=np.int64) for t, v in by_topic.items()}
        """Each topic's screens (indices into the screen model's labels), for ``_best_node``."""
        self._shared = screens.share_index(classifier)
        """Both models read the same features: a message is analysed once for both."""
        self.fuzzy: FuzzyMatcher | None = None
        """The fuzzy keyword matcher, asked only when the classifier is unsure."""
        self.vocabulary: set[str] = set()
        """Words (and their stems) of the screens' training text, off-topic left out."""

    @classmethod
    def from_flows(
        cls,
        flows: Flows,
        languages: Sequence[str],
        settings: Settings | None = None,
        *,
        flows_dir: Path | None = None,
        translations: Mapping[str, Iterable[str]] | None = None,
        config: ClassifierConfig | None = None,
        cache_dir: Path | None = None,
    ) -> TextMatcher:
        """Train on ``flows`` (and ``flows_dir``'s danger, off-topic and message files, when
        given).

        ``translations`` (language → every translated string) trains the language guesser
        beside the examples and keywords; without it the guesser learns from those alone.
        """
        texts, labels, topic_labels = _training_sets(flows, flows_dir)
        topic_texts, topic_labels = _topic_sets(flows, flows_dir, texts, topic_labels)
        topics = topic_map(flows)
        classifier = train_cached(topic_texts, topic_labels, config, cache_dir=cache_dir)
        screens = train_cached(texts, labels, config, calibrated=False, cache_dir=cache_dir)
        corpus: dict[str, list[str]] = defaultdict(list)
        for node in flows.nodes.values():
            for source in (node.examples, node.keywords):
                for language, items in source.items():
                    corpus[language].extend(items)
        for language, strings in (translations or {}).items():
            corpus[language].extend(strings)
        corpus["es"].append(" ".join(sorted(SPANISH)))  # function words tell languages apart
        corpus["en"].append(" ".join(sorted(ENGLISH)))
        known = [code for code in languages if corpus.get(code)]
        guesser = NgramGuesser({code: corpus[code] for code in known})
        matcher = cls(
            classifier,
            screens,
            topics,
            languages,
            # The screens' own words are spelled right: none is a typo of a danger word.
            DangerDetector.from_flows_dir(
                flows_dir,
                {w for ts in (translations or {}).values() for t in ts for w in tokens(t)},
            ),
            guesser,
            flows.nodes,
            settings,
        )
        if settings is None or settings.second_opinion:
            matcher.fuzzy = FuzzyMatcher.from_flows(flows, languages)
        # The screens' own words, not the labelled messages': with those, what the helpline
        # calls a known word grew so much that off-topic messages matched a screen (dev rows
        # 1.7 -> 5.0 %, unseen round HI-HV 2.1 -> 2.9 %, 2026-12-03).
        for text, label in zip(texts, labels, strict=True):
            if label != OFF_TOPIC:
                for word in text:
                    matcher.vocabulary.add(word)
                    matcher.vocabulary.update(stem(word, classifier._known).split())
        return matcher

    # -- the Matcher protocol -------------------------------------------------------------------

    def match(self, text: str, locale: str) -> Match:
        """The node ``text`` asks for, candidates for a close call, or no node."""
        raw = tokens(text[:MAX_SCAN], expand=False)  # normalised once, for everything below
        scanned = expanded(raw)
        words = scanned[:MAX_WORDS]
        if not words:
            return Match(node=None, confidence=0.0)
        head = text[:MAX_LANGUAGE]
        language = self.guesser.guess(head, raw if len(head) == len(text) else None)
        hit = self.danger.find(scanned)
        if hit is not None and not hit.alone:
            return self._alarm(hit.goto, language)
        asked = without_courtesy(words)  # what the models read: "buenas noches" weighs nothing
        prepared = self.classifier.prepare(asked)
        counts = self.classifier.counts(asked, prepared)
        ranked = self._topics(self.classifier.probabilities(asked, counts=counts))
        emergency = dict(ranked).get(EMERGENCY, 0.0)
        small = self.smalltalk.screen(words, text, self.nodes)
        # A plea with more words ("help they outside", "ayuda ayuda vienen") is heard from the
        # first word, and when the emergency class is the classifier's first choice even if
        # unsure: three of the seven cries for help missed on unseen round EC-EP were so.
        pleads = small is None and self.smalltalk.pleads(words)
        if (
            (
                emergency >= self.settings.danger
                or (pleads and bool(ranked) and ranked[0][0] == EMERGENCY)
            )
            # Thanks alone ("muchas gracias por todo") is no farewell, whatever the classifier,
            # which learned farewells that begin so; a bare plea ("buenas tardes, ayuda por
            # favor") is asked «¿Está en peligro ahora mismo?» by design, however sure the
            # classifier (since it learns the labelled messages, 0.89 for that one).
            and (small is None or (small[1] and small[0] != DANGER_CHECK))
            and (hit is None or hit.goto != DANGER_CHECK or not self._only_feelings(words))
            and (len(words) >= CLASSIFIER_ALARM_WORDS or pleads)
            and not self.danger.quiet(scanned)
        ):
            # Fear that says nothing more asks first, below; fear beside what the classifier
            # reads as a cry for help ("they found her, she's shaking") does not hold it back.
            return self._alarm(EMERGENCY, language)
        if hit is not None and self._says_only_that(hit, words, ranked):
            return self._alarm(hit.goto, language)
        if small is not None:
            node, danger = small
            return Match(node=node, confidence=1.0, language=language, danger=danger)
        found = self._decide(asked, prepared, counts, ranked, language)
        if found.node == DANGER_CHECK:  # the classifier heard fear: asked first, like a phrase
            return replace(found, danger=True)
        return found

    def known_share(
        self, words: Sequence[str], memo: dict[str, dict[str, float]] | None = None
    ) -> float:
        """Share of the meaningful words of ``words`` known to the screens' training text
        (``memo``: one message's fuzzy look-ups, shared with the second opinion)."""
        content = [w for w in words if w not in STOPWORDS and not w.isdigit()]
        if not content:
            return 1.0
        known = sum(1 for w in content if w in self.vocabulary or self._stem_known(w, memo))
        return known / len(content)

    def _stem_known(self, word: str, memo: dict[str, dict[str, float]] | None = None) -> bool:
        """Known by its stem, or (typos) like a keyword word of some screen."""
        if any(s in self.vocabulary for s in stem(word, self.classifier._known).split()):
            return True
        return self.fuzzy is not None and bool(self.fuzzy._similar(word, memo))

    def _says_only_that(
        self, hit: DangerHit, words: Sequence[str], ranked: list[tuple[str, float]]
    ) -> bool:
        """Whether a message with a phrase that counts alone (fear, "estan aqui") says nothing
        else ("tengo mucho miedo"), or nothing the classifier is sure of ("tengo miedo, no se
        que hacer")."""
        if self._only_feelings(words):
            return True
        # Nothing but the phrase itself ("me golpearon" sent alone, a fragment): however sure
        # the classifier is of a topic that uses those words, the message asks nothing else.
        phrase_words = {w for part in hit.phrase.split() for w in part.split("|")}
        if all(w in STOPWORDS or w in phrase_words for w in words):
            return True
        # The danger question's own screen is no topic to prefer to it: its examples are
        # fear alone, so a fearful message ranks it first ("tengo mucho miedo senorita").
        best = next((p for t, p in ranked if t not in (EMERGENCY, OFF_TOPIC, DANGER_CHECK)), 0.0)
        floor = self.settings.fear_topic if hit.goto == DANGER_CHECK else self.settings.here_topic
        return best < floor

    @staticmethod
    def _only_feelings(words: Sequence[str]) -> bool:
        """Whether ``words`` only say how someone feels ("tengo mucho miedo")."""
        return all(w in STOPWORDS or w in _FEELING for w in words)

    def _alarm(self, goto: str, language: str | None) -> Match:
        target = goto if goto in self.nodes or goto == EMERGENCY else EMERGENCY
        return Match(node=target, confidence=1.0, language=language, danger=True)

    # -- ranking --------------------------------------------------------------------------------

    def topic_ranking(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Topics (``-`` for off-topic) with their calibrated probability, best first."""
        return self._topics(self.classifier.probabilities(words))

    def _topics(self, proba: Iterable[float]) -> list[tuple[str, float]]:
        pairs = [(label, float(p)) for label, p in zip(self.classifier.labels, proba, strict=True)]
        return sorted(pairs, key=lambda item: -item[1])

    def _best_node(self, scores: NDArray[np.float64], topic: str) -> str:
        """The most likely screen of ``topic`` by the screen model's ``scores`` (the first
        one in label order on a tie)."""
        indices = self._topic_screens.get(topic)
        if indices is None:
            return topic
        return self.screens.labels[int(indices[int(np.argmax(scores[indices]))])]

    def _decide(
        self,
        words: Sequence[str],
        prepared: tuple[str, str],
        counts: Counts,
        ranked: list[tuple[str, float]],
        language: str | None,
    ) -> Match:
        settings = self.settings
        if self._shared:
            scores = self.screens.probabilities(words, counts=counts)
        else:
            same = self.screens.config == self.classifier.config
            scores = self.screens.probabilities(words, prepared if same else None)
        topics = [(t, p) for t, p in ranked if t not in (OFF_TOPIC, EMERGENCY)]
        off = dict(ranked).get(OFF_TOPIC, 0.0)
        if not topics:
            return Match(node=None, confidence=0.0, language=language)
        best, confidence = topics[0]
        floor = settings.candidate_long if len(words) >= settings.long_words else settings.candidate
        if off >= confidence or confidence < floor or (len(words) == 1 and words[0] in STOPWORDS):
            # One little word ("k", which also reads "que"; "kkkkk", laughter in Brazil) says
            # nothing, however sure the model is of the screens whose examples use it.
            return Match(node=None, confidence=confidence, language=language)
        memo: dict[str, dict[str, float]] = {}  # this message's fuzzy look-ups, then dropped
        share = self.known_share(words, memo)
        if share == 0.0:  # not one word any screen uses ("xd", "k", "quien gano el partido")
            return Match(node=None, confidence=confidence, language=language)
        rival = topics[1][1] if len(topics) > 1 else 0.0
        close = rival > confidence * (1.0 - settings.margin)
        if confidence >= settings.confident and not close:
            return Match(
                node=self._best_node(scores, best), confidence=confidence, language=language
            )
        if self.fuzzy is not None and share < 1.0 and not self.fuzzy.rank(words, memo):
            # Unsure, and no keyword of any screen resembles a word here: say so (measured on
            # the dev set, this second opinion halves off-topic false matches).
            return Match(node=None, confidence=confidence, language=language)
        if all(w in STOPWORDS for w in words) or share < settings.known:
            # Only little words ("ok"), or words no screen uses: a sure model, or nothing.
            return Match(node=None, confidence=confidence, language=language)
        offered = [best] + [t for t, p in topics[1:] if p >= settings.rival]
        offered = offered[: settings.max_candidates]
        choices = tuple(self._best_node(scores, t) for t in offered)
        if len(choices) == 1 and confidence >= settings.alone:
            return Match(node=choices[0], confidence=confidence, language=language)
        return Match(node=None, confidence=confidence, candidates=choices, language=language)


KeywordMatcher = TextMatcher
"""The name other modules used before the classifier; kept so their imports keep working."""
