"""The fast path (``bot.nlu.features``) gives exactly what scikit-learn's own objects give."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import hstack

from bot.engine.loader import load_flows
from bot.nlu.classifier import TextClassifier, prepare
from bot.nlu.evaluate import read_rows
from bot.nlu.features import char_wb_ngrams, word_ngrams
from bot.nlu.matcher import TextMatcher, training_data
from bot.nlu.normalize import tokens
from bot.nlu.offtopic import load_offtopic
from bot.nlu.topics import topic_map
from bot.settings import REPO_ROOT

FLOWS = REPO_ROOT / "flows"
DATA = REPO_ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def messages() -> list[list[str]]:
    """Every evaluation message (both files), normalised, plus a few edge cases."""
    rows = read_rows(DATA / "nlu_eval.tsv") + read_rows(DATA / "nlu_eval_held.tsv")
    extra = ["", "zzz", "a", "necesito un abogado", "court date", "qqqq wwww"]
    return [tokens(t) for t in [r.text for r in rows] + extra]


@pytest.fixture(scope="module")
def trained() -> tuple[TextClassifier, TextClassifier]:
    """The topic model (calibrated) and the screen model (not), with scikit-learn's objects."""
    flows = load_flows(FLOWS).flows
    texts, labels = training_data(flows, load_offtopic(FLOWS))
    topics = topic_map(flows)
    classifier = TextClassifier.train(
        texts, [topics.get(label, label) for label in labels], keep_sklearn=True
    )
    screens = TextClassifier.train(texts, labels, keep_sklearn=True, calibrated=False)
    return classifier, screens


def _matrix(model: TextClassifier, words: list[str]) -> object:
    chars, vectorizer, _ = model.sklearn  # type: ignore[misc]
    plain, stemmed = prepare(words, model.config, model._known)
    return hstack([chars.transform([plain]), vectorizer.transform([stemmed])]).tocsr()


def test_probabilities_equal_predict_proba_on_every_eval_message(
    trained: tuple[TextClassifier, TextClassifier], messages: list[list[str]]
) -> None:
    classifier, _ = trained
    _, _, model = classifier.sklearn  # type: ignore[misc]
    assert list(model.classes_) == list(classifier.labels)
    for words in messages:
        expected = model.predict_proba(_matrix(classifier, words))[0]
        assert np.allclose(classifier.probabilities(words), expected, atol=1e-5), words


def test_screen_scores_rank_as_the_decision_function(
    trained: tuple[TextClassifier, TextClassifier], messages: list[list[str]]
) -> None:
    """The uncalibrated screen model's scores are a monotone function of scikit-learn's
    decision values, read here back from the probabilities."""
    _, screens = trained
    _, _, svm = screens.sklearn  # type: ignore[misc]
    for words in messages:
        decision = svm.decision_function(_matrix(screens, words))[0]
        proba = screens.probabilities(words)
        ours = -np.log(1.0 / (proba * (1.0 / (1.0 + np.exp(-decision))).sum()) - 1.0)
        assert np.allclose(ours, decision, atol=1e-4), words


def test_both_models_share_one_analysis(
    trained: tuple[TextClassifier, TextClassifier], messages: list[list[str]]
) -> None:
    """Trained on the same texts, the two models have one vocabulary: the matcher analyses a
    message once and both read the same counts."""
    classifier, screens = trained
    assert screens.share_index(classifier)
    for words in messages[:300]:
        counts = classifier.counts(words)
        assert np.array_equal(
            screens.probabilities(words, counts=counts), screens.probabilities(words)
        )


def test_analyzers_equal_scikit_learn() -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    text = "me negaron el asilo y no se q hacer i 589 ya"
    chars = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False)
    words = CountVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"\S+", lowercase=False
    )
    assert char_wb_ngrams(text, 2, 5) == chars.build_analyzer()(text)
    assert word_ngrams(text, 1, 2) == words.build_analyzer()(text)


def test_the_word_index_finds_what_the_plain_list_finds(
    matcher: TextMatcher, messages: list[list[str]]
) -> None:
    """The fuzzy second opinion's index (lengths and beginnings) changes no answer."""
    from bot.nlu.fuzzy import WordIndex, best_matches

    assert matcher.fuzzy is not None
    vocabulary = matcher.fuzzy.vocabulary
    index = WordIndex(vocabulary)
    words = sorted({w for m in messages for w in m})
    assert len(words) > 1000
    for word in words:
        assert sorted(index.matches(word)) == sorted(best_matches(word, vocabulary)), word
