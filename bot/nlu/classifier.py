"""A text classifier trained from the content: which screen a whole message asks for.

Training data are the ``examples`` (whole messages as people write them) and the ``keywords`` of
every screen, plus off-topic chatter (``flows/nlu/offtopic.yaml``) as a class of its own, so that
"what time is it" has somewhere to go that is not a screen. The model is scikit-learn's:

* features: TF-IDF over character n-grams inside word boundaries (``char_wb``, 2-5 letters: they
  survive typos, missing accents and word endings) joined with TF-IDF over words and word pairs
  of the stemmed text (Snowball stemmers for Spanish and English, both applied: a message may mix
  them, and a Spanish stem of an English word does no harm — measured on the dev set). The
  stemmers are PyStemmer's (Snowball compiled to C): the same stems as the pure-Python
  ``snowballstemmer`` on every word of the content and eval sets, at about 0.4 µs a word instead
  of 80, which matters because every word the model never saw is stemmed per message;
* a linear support vector machine (``LinearSVC``) with Platt-calibrated probabilities
  (``CalibratedClassifierCV(method="sigmoid", ensemble=False)``: one model, one sigmoid per class
  fitted on cross-validated decisions), so a probability of 0.8 means about 80% right.

scikit-learn's ``transform``/``predict_proba`` take a few hundred microseconds for one message
(input validation, sparse matrix set-up). ``TextClassifier`` keeps what it needs from the fitted
objects — the vocabularies, IDF weights, coefficients and the calibrators' two numbers per class
— and computes the same probabilities directly (``bot.nlu.features``;
``tests/nlu/test_features.py`` checks they equal ``predict_proba``), in tens of microseconds.

Training takes seconds; ``train_cached`` keeps the last few models by a hash of their training
data, in memory and in a cache folder (``DATA_DIR/nlu-cache``, plain arrays, no pickle), so a
restart or a reload that changed no example or keyword (a translation, a phone number) does not
train again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.nlu.features import Counts, FeatureIndex, decision
from bot.nlu.normalize import tokens

__all__ = ["ClassifierConfig", "TextClassifier", "is_cached", "prepare", "stem", "train_cached"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClassifierConfig:
    """The model's tunable numbers (defaults chosen on the dev set, see ``nlu-eval``)."""

    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    stemming: str = "snowball"
    """``snowball`` (Spanish and English stems), ``none``."""
    c: float = 0.5
    """``LinearSVC``'s C: lower is smoother."""
    folds: int = 3
    """Cross-validation folds for the calibration."""
    word_weight: float = 1.0
    """Weight of the word features against the character ones."""
    balanced: bool = True
    """Weigh each screen's examples by how few it has (``class_weight="balanced"``): the
    emergency screen has several times the examples of any other since the unseen sets, and its
    weight pulled uncertain messages towards it (dev top-1 91.8 -> 92.7 % when turned on)."""


@lru_cache(maxsize=1)
def _stemmers() -> tuple[Callable[[str], str], Callable[[str], str]]:
    import Stemmer

    spanish = Stemmer.Stemmer("spanish")
    english = Stemmer.Stemmer("english")
    return spanish.stemWord, english.stemWord


def _both_stems(word: str) -> str:
    spanish, english = _stemmers()
    a, b = spanish(word), english(word)
    return a if a == b else f"{a} {b}"


def stem(word: str, known: dict[str, str] | None = None) -> str:
    """Both stems of a word ("amenazaron" → "amenaz amenazaron"), or the one when they agree.

    ``known`` holds the stems of the training words, computed once; any other word is stemmed
    each time and not remembered, so no fragment of what someone wrote outlives their message.
    """
    if len(word) <= 3:
        return word
    if known is not None:
        found = known.get(word)
        if found is not None:
            return found
    return _both_stems(word)


def prepare(
    words: Sequence[str], config: ClassifierConfig, known: dict[str, str] | None = None
) -> tuple[str, str]:
    """(text for character n-grams, text for word n-grams) from normalised words."""
    plain = " ".join(words)
    if config.stemming == "snowball":
        return plain, " ".join(stem(w, known) for w in words)
    return plain, plain


class TextClassifier:
    """Calibrated probabilities over labels (screen ids, and ``-`` for off-topic)."""

    def __init__(
        self,
        labels: Sequence[str],
        config: ClassifierConfig,
        vocabularies: tuple[dict[str, int], dict[str, int]],
        idf: tuple[NDArray[np.float64], NDArray[np.float64]],
        coef: NDArray[np.float32],
        intercept: NDArray[np.float64],
        sigmoid: NDArray[np.float64],
        known: dict[str, str] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.config = config
        self._idf = idf
        self._idf_all = np.concatenate(idf)
        """Both parts' IDF weights joined, in the order of ``coef``'s rows."""
        self._coef = coef
        """Shape (features, labels): a message's few features pick rows."""
        self._intercept = intercept
        self._a = sigmoid[0]
        self._b = sigmoid[1]
        self._known: dict[str, str] = known or {}
        """Stems of the training words (longer than three letters)."""
        self.index = FeatureIndex(
            vocabularies,
            config.char_ngrams,
            config.word_ngrams,
            _training_words(self._known, vocabularies[0]),
        )
        """Turns a prepared message into feature counts; shared with a model of the same
        vocabulary (``share_index``)."""
        self.sklearn: object | None = None
        """The fitted scikit-learn objects (vectorizers, calibrated model), for tests."""

    @property
    def _vocabularies(self) -> tuple[dict[str, int], dict[str, int]]:
        chars, words = self.index.vocabularies
        return dict(chars), dict(words)

    def share_index(self, other: TextClassifier) -> bool:
        """Use ``other``'s feature index when both models have the same vocabularies (then a
        message's counts, ``counts``, serve both); whether they had."""
        if self.index is other.index:
            return True
        if (self.config.char_ngrams, self.config.word_ngrams) != (
            other.config.char_ngrams,
            other.config.word_ngrams,
        ) or self.index.vocabularies != other.index.vocabularies:
            return False
        self.index = other.index
        return True

    # -- training -------------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        texts: Sequence[Sequence[str]],
        labels: Sequence[str],
        config: ClassifierConfig | None = None,
        keep_sklearn: bool = False,
        calibrated: bool = True,
    ) -> TextClassifier:
        """Fit on normalised word lists ``texts`` with their ``labels``.

        ``calibrated=False`` fits the support vector machine alone (a quarter of the time): its
        scores then only rank the labels, which is all that choosing a screen within a topic
        needs.
        """
        from scipy.sparse import hstack
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        config = config or ClassifierConfig()
        texts, labels = _at_least(list(texts), list(labels), config.folds)
        known = {w: _both_stems(w) for t in texts for w in t if len(w) > 3}
        prepared = [prepare(t, config, known) for t in texts]
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=config.char_ngrams, sublinear_tf=True, lowercase=False
        )
        words = TfidfVectorizer(
            analyzer="word",
            ngram_range=config.word_ngrams,
            token_pattern=r"\S+",
            sublinear_tf=True,
            lowercase=False,
        )
        x_chars = chars.fit_transform([p[0] for p in prepared])
        x_words = words.fit_transform([p[1] for p in prepared]) * config.word_weight
        matrix = hstack([x_chars, x_words]).tocsr()
        model: Any
        weight = "balanced" if config.balanced else None
        if calibrated:
            model = CalibratedClassifierCV(
                LinearSVC(C=config.c, class_weight=weight),
                method="sigmoid",
                cv=config.folds,
                ensemble=False,
            )
        else:
            model = LinearSVC(C=config.c, class_weight=weight)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence notes on tiny classes are harmless
            model.fit(matrix, labels)
        classes = [str(c) for c in model.classes_]
        if calibrated:
            fitted = model.calibrated_classifiers_[0]
            svm = fitted.estimator
            sigmoid = np.array(
                [[c.a_ for c in fitted.calibrators], [c.b_ for c in fitted.calibrators]],
                dtype=np.float64,
            )
        else:
            svm = model
            sigmoid = np.array([[-1.0] * len(classes), [0.0] * len(classes)], dtype=np.float64)
        coef = np.ascontiguousarray(svm.coef_.T, dtype=np.float32)
        intercept = np.asarray(svm.intercept_, dtype=np.float64)
        if len(classes) == 2:  # one decision column for two classes: make it two
            coef = np.hstack([-coef, coef])
            intercept = np.array([-intercept[0], intercept[0]])
            a, b = sigmoid[0][-1], sigmoid[1][-1]
            sigmoid = (
                np.array([[a, a], [-b, b]], dtype=np.float64)
                if calibrated
                else np.array([[-1.0, -1.0], [0.0, 0.0]])
            )
        classifier = cls(
            classes,
            config,
            (dict(chars.vocabulary_), dict(words.vocabulary_)),
            (chars.idf_, words.idf_),
            coef,
            intercept,
            sigmoid,
            known,
        )
        if keep_sklearn:
            classifier.sklearn = (chars, words, model)
        return classifier

    # -- prediction -----------------------------------------------------------------------------

    def prepare(self, words: Sequence[str]) -> tuple[str, str]:
        """The two texts the features are read from (stemming done once per message)."""
        return prepare(words, self.config, self._known)

    def counts(self, words: Sequence[str], prepared: tuple[str, str] | None = None) -> Counts:
        """The features present in a message (see ``bot.nlu.features``)."""
        char_text, word_text = prepared or prepare(words, self.config, self._known)
        return self.index.counts(char_text, word_text)

    def probabilities(
        self,
        words: Sequence[str],
        prepared: tuple[str, str] | None = None,
        counts: Counts | None = None,
    ) -> NDArray[np.float64]:
        """Calibrated probability of each label (in ``labels`` order) for normalised words;
        ``prepared`` (from ``prepare``, with the same configuration) saves stemming again, and
        ``counts`` (from ``counts`` of a model sharing this one's index) saves the analysis."""
        if counts is None:
            counts = self.counts(words, prepared)
        values = decision(
            counts, self._idf_all, self._coef, self._intercept, self.config.word_weight
        )
        proba = 1.0 / (1.0 + np.exp(self._a * values + self._b))
        total = proba.sum()
        if total <= 0:
            return np.full(len(self.labels), 1.0 / len(self.labels))
        return np.asarray(proba / total, dtype=np.float64)

    def ranked(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """(label, probability), best first."""
        proba = self.probabilities(words)
        order = np.argsort(-proba)
        return [(self.labels[i], float(proba[i])) for i in order]


def _training_words(known: Mapping[str, str], chars: Mapping[str, int]) -> set[str]:
    """Every training word: the longer ones are ``known``'s keys; a word of three letters or
    fewer is whole in the character vocabulary as an n-gram padded with spaces (" de ")."""
    short = {g[1:-1] for g in chars if len(g) > 2 and g[0] == " " and g[-1] == " "}
    return set(known) | {w for w in short if w and " " not in w}


def _at_least(
    texts: list[Sequence[str]], labels: list[str], count: int
) -> tuple[list[Sequence[str]], list[str]]:
    """Repeat the texts of labels with fewer than ``count`` of them, so that every fold of the
    calibration sees every label."""
    by_label: dict[str, list[Sequence[str]]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    for label, items in by_label.items():
        i = 0
        while len(items) < count:
            texts.append(items[i % len(items)])
            labels.append(label)
            items.append(items[i % len(items)])
            i += 1
    return texts, labels


_CACHE: OrderedDict[str, TextClassifier] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 4


def data_hash(texts: Sequence[Sequence[str]], labels: Sequence[str], config: object) -> str:
    """A hash of everything training depends on."""
    digest = hashlib.sha256(repr(config).encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(label.encode())
        digest.update(b"\0")
        digest.update(" ".join(text).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def train_cached(
    texts: Sequence[Sequence[str]],
    labels: Sequence[str],
    config: ClassifierConfig | None = None,
    calibrated: bool = True,
    cache_dir: Path | None = None,
) -> TextClassifier:
    """``TextClassifier.train``, reusing a model trained on exactly the same data: kept in
    memory, and in ``cache_dir`` (plain arrays and JSON, never pickle) so that a restart with
    unchanged content does not train again."""
    config = config or ClassifierConfig()
    key = data_hash(texts, labels, (config, calibrated))
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
    if found is not None:
        if cache_dir is not None and not (cache_dir / f"{key}.npz").is_file():
            _save(found, cache_dir, key)  # this folder's next start loads it too
        return found
    classifier = _load(cache_dir / f"{key}.npz", config) if cache_dir is not None else None
    if classifier is None:
        classifier = TextClassifier.train(texts, labels, config, calibrated=calibrated)
        if cache_dir is not None:
            _save(classifier, cache_dir, key)
    with _CACHE_LOCK:
        _CACHE[key] = classifier
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return classifier


def is_cached(
    texts: Sequence[Sequence[str]],
    labels: Sequence[str],
    config: ClassifierConfig | None = None,
    calibrated: bool = True,
    cache_dir: Path | None = None,
) -> bool:
    """Whether ``train_cached`` would find this model (in memory or in ``cache_dir``) instead
    of training: the service then loads it at once rather than fitting it elsewhere first."""
    key = data_hash(texts, labels, (config or ClassifierConfig(), calibrated))
    with _CACHE_LOCK:
        if key in _CACHE:
            return True
    return cache_dir is not None and (cache_dir / f"{key}.npz").is_file()


def _save(classifier: TextClassifier, folder: Path, key: str) -> None:
    """Write the model's numbers; a failure only means training again next time."""
    meta = {
        "labels": list(classifier.labels),
        "vocabularies": list(classifier._vocabularies),
        "known": classifier._known,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        with temporary.open("wb") as handle:
            np.savez(
                handle,
                meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                idf_chars=classifier._idf[0],
                idf_words=classifier._idf[1],
                coef=classifier._coef,
                intercept=classifier._intercept,
                sigmoid=np.array([classifier._a, classifier._b]),
            )
        temporary.replace(folder / f"{key}.npz")
        for old in sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime)[:-CACHE_SIZE]:
            old.unlink(missing_ok=True)
    except OSError:
        log.warning("could not write the classifier cache in %s", folder)


def _load(path: Path, config: ClassifierConfig) -> TextClassifier | None:
    """The model saved at ``path`` (``None`` when there is none or it cannot be read)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            arrays = {name: data[name] for name in data.files if name != "meta"}
    except (OSError, ValueError, KeyError):
        log.warning("ignoring an unreadable classifier cache file")
        return None
    return TextClassifier(
        meta["labels"],
        config,
        (meta["vocabularies"][0], meta["vocabularies"][1]),
        (arrays["idf_chars"], arrays["idf_words"]),
        arrays["coef"],
        arrays["intercept"],
        arrays["sigmoid"],
        meta["known"],
    )


def words_of(text: str) -> list[str]:
    """Normalised words of a training text (the same normalisation as messages)."""
    return tokens(text)
