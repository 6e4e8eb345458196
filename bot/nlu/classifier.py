"""A text classifier trained from the content: which screen a whole message asks for.

Training data are the ``examples`` (whole messages as people write them) and the ``keywords`` of
every screen, plus off-topic chatter (``flows/nlu/offtopic.yaml``) as a class of its own, so that
"what time is it" has somewhere to go that is not a screen. The model is scikit-learn's:

* features: TF-IDF over character n-grams inside word boundaries (``char_wb``, 2-5 letters: they
  survive typos, missing accents and word endings) joined with TF-IDF over words and word pairs
  of the stemmed text (Snowball stemmers for Spanish and English, both applied: a message may mix
  them, and a Spanish stem of an English word does no harm — measured on the dev set);
* a linear support vector machine (``LinearSVC``) with Platt-calibrated probabilities
  (``CalibratedClassifierCV(method="sigmoid", ensemble=False)``: one model, one sigmoid per class
  fitted on cross-validated decisions), so a probability of 0.8 means about 80% right.

scikit-learn's ``transform``/``predict_proba`` take a few hundred microseconds for one message
(input validation, sparse matrix set-up). ``TextClassifier`` keeps what it needs from the fitted
objects — the analyzers, vocabularies, IDF weights, coefficients and the calibrators' two numbers
per class — and computes the same probabilities directly (``tests/nlu/test_classifier.py`` checks
they equal ``predict_proba``), in tens of microseconds.

Training takes seconds; ``train_cached`` keeps the last few models by a hash of their training
data, in memory and in a cache folder (``DATA_DIR/nlu-cache``, plain arrays, no pickle), so a
restart or a reload that changed no example or keyword (a translation, a phone number) does not
train again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

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


@lru_cache(maxsize=1)
def _stemmers() -> tuple[Callable[[str], str], Callable[[str], str]]:
    import snowballstemmer

    spanish = snowballstemmer.stemmer("spanish")
    english = snowballstemmer.stemmer("english")
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


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, exactly as scikit-learn's ``char_wb``
    analyzer makes them (each word padded with one space on each side)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
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


def _analyzers(
    config: ClassifierConfig,
) -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
    low_c, high_c = config.char_ngrams
    low_w, high_w = config.word_ngrams
    return (
        lambda text: char_wb_ngrams(text, low_c, high_c),
        lambda text: word_ngrams(text, low_w, high_w),
    )


class TextClassifier:
    """Calibrated probabilities over labels (screen ids, and ``-`` for off-topic)."""

    def __init__(
        self,
        labels: Sequence[str],
        config: ClassifierConfig,
        analyzers: tuple[Callable[[str], list[str]], Callable[[str], list[str]]],
        vocabularies: tuple[dict[str, int], dict[str, int]],
        idf: tuple[NDArray[np.float64], NDArray[np.float64]],
        coef: NDArray[np.float32],
        intercept: NDArray[np.float64],
        sigmoid: NDArray[np.float64],
    ) -> None:
        self.labels = tuple(labels)
        self.config = config
        self._analyzers = analyzers
        self._vocabularies = vocabularies
        self._idf = idf
        self._offset = len(vocabularies[0])
        self._coef = coef
        """Shape (features, labels): a message's few features pick rows."""
        self._intercept = intercept
        self._a = sigmoid[0]
        self._b = sigmoid[1]
        self._known: dict[str, str] = {}
        """Stems of the training words."""
        self.sklearn: object | None = None
        """The fitted scikit-learn objects (vectorizers, calibrated model), for tests."""

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
        if calibrated:
            model = CalibratedClassifierCV(
                LinearSVC(C=config.c), method="sigmoid", cv=config.folds, ensemble=False
            )
        else:
            model = LinearSVC(C=config.c)
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
            _analyzers(config),
            (dict(chars.vocabulary_), dict(words.vocabulary_)),
            (chars.idf_, words.idf_),
            coef,
            intercept,
            sigmoid,
        )
        classifier._known = known
        if keep_sklearn:
            classifier.sklearn = (chars, words, model)
        return classifier

    # -- prediction -----------------------------------------------------------------------------

    def prepare(self, words: Sequence[str]) -> tuple[str, str]:
        """The two texts the features are read from (stemming done once per message)."""
        return prepare(words, self.config, self._known)

    def probabilities(
        self, words: Sequence[str], prepared: tuple[str, str] | None = None
    ) -> NDArray[np.float64]:
        """Calibrated probability of each label (in ``labels`` order) for normalised words;
        ``prepared`` (from ``prepare``, with the same configuration) saves stemming again."""
        char_text, word_text = prepared or prepare(words, self.config, self._known)
        rows: list[int] = []
        values: list[float] = []
        for part, text in enumerate((char_text, word_text)):
            counts: dict[int, int] = {}
            vocabulary = self._vocabularies[part]
            for feature in self._analyzers[part](text):
                index = vocabulary.get(feature)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            idf = self._idf[part]
            weights = [(1.0 + math.log(n)) * idf[i] for i, n in counts.items()]
            norm = math.sqrt(sum(w * w for w in weights))
            scale = (1.0 if part == 0 else self.config.word_weight) / norm
            offset = 0 if part == 0 else self._offset
            rows.extend(i + offset for i in counts)
            values.extend(w * scale for w in weights)
        if rows:
            decision = np.asarray(values, dtype=np.float32) @ self._coef[rows]
            decision = decision.astype(np.float64) + self._intercept
        else:
            decision = self._intercept.copy()
        proba = 1.0 / (1.0 + np.exp(self._a * decision + self._b))
        total = proba.sum()
        if total <= 0:
            return np.full(len(self.labels), 1.0 / len(self.labels))
        return np.asarray(proba / total, dtype=np.float64)

    def ranked(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """(label, probability), best first."""
        proba = self.probabilities(words)
        order = np.argsort(-proba)
        return [(self.labels[i], float(proba[i])) for i in order]


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
    classifier = TextClassifier(
        meta["labels"],
        config,
        _analyzers(config),
        (meta["vocabularies"][0], meta["vocabularies"][1]),
        (arrays["idf_chars"], arrays["idf_words"]),
        arrays["coef"],
        arrays["intercept"],
        arrays["sigmoid"],
    )
    classifier._known = meta["known"]
    return classifier


def words_of(text: str) -> list[str]:
    """Normalised words of a training text (the same normalisation as messages)."""
    return tokens(text)
