"""Benchmark the free-text matcher: matches per second, memory, and accuracy against baselines.

Run: ``.venv/bin/python bench/nlu_bench.py``. Everything is measured in this one run, on the
real flows and the labelled set ``tests/data/nlu_eval.tsv``:

* ``exact``: normalise, then look the whole message up among the normalised keywords. The
  cheapest possible matcher, and the speed baseline the ratio is taken against.
* ``wratio``, ``token_set``, ``partial``: rapidfuzz ``process.extractOne`` of the whole
  message against every keyword with that scorer, the cut-off chosen on the dev rows. These
  are the obvious ways to use rapidfuzz, kept here so the choice of scorer stays measured.
* ``KeywordMatcher``: what the helpline uses (``TextMatcher``: danger detector, small talk,
  the trained classifiers, the fuzzy second opinion, language identification).

Then the time of one message, in microseconds, all measured in this run:

* ``TextMatcher.match``: everything the helpline does with a typed message;
* ``models, fast path``: the two trained models (topics, screens) through ``bot.nlu.features``:
  stemming, one analysis, two dot products;
* ``models, scikit-learn``: the same two models asked the plain way (``transform`` of both
  vectorizers, ``hstack``, ``predict_proba`` and ``decision_function``), the baseline the fast
  path replaces (``tests/nlu/test_features.py`` checks both give the same numbers);
* ``danger detector``: ``DangerDetector.find`` (words looked up once, each phrase reached
  through its anchor word);
* ``danger, every phrase in turn``: the same look-ups, then every phrase tried at every
  position, the baseline the anchor index replaces (``tests/nlu/test_danger.py`` checks both
  find the same phrases).

Timings are wall-clock and vary between machines (the line "machine" says how busy this one
was): read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import gc
import resource
import time
import tracemalloc
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process
from scipy.sparse import hstack

from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.heap import settle
from bot.nlu import KeywordMatcher
from bot.nlu.classifier import TextClassifier, prepare
from bot.nlu.danger import DangerDetector, _fits, _PhraseSet
from bot.nlu.evaluate import OFF_TOPIC, Row, read_rows
from bot.nlu.matcher import training_data
from bot.nlu.normalize import normalize, tokens
from bot.nlu.offtopic import load_offtopic
from bot.nlu.topics import topic_map
from bot.settings import REPO_ROOT

LANGUAGES = ["es", "en"]
ROUNDS = 5
SAMPLE = 5
"""The scikit-learn baseline is timed on every fifth message."""

Predict = Callable[[str], str | None]


def _keywords(flows: Flows) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    nodes: list[str] = []
    for node in flows.nodes.values():
        for words in node.keywords.values():
            for word in words:
                texts.append(normalize(word))
                nodes.append(node.id)
    return texts, nodes


def exact_baseline(flows: Flows) -> Predict:
    texts, nodes = _keywords(flows)
    table = dict(zip(texts, nodes, strict=True))

    def predict(text: str) -> str | None:
        return table.get(normalize(text))

    return predict


def rapidfuzz_baseline(flows: Flows, scorer: Callable[..., float], cutoff: float) -> Predict:
    texts, nodes = _keywords(flows)

    def predict(text: str) -> str | None:
        found = process.extractOne(normalize(text), texts, scorer=scorer, score_cutoff=cutoff)
        return nodes[found[2]] if found else None

    return predict


def matcher_predict(matcher: KeywordMatcher) -> Predict:
    def predict(text: str) -> str | None:
        found = matcher.match(text, "es")
        return found.node or (found.candidates[0] if found.candidates else None)

    return predict


def accuracy(predict: Predict, rows: Sequence[Row], topics: dict[str, str]) -> tuple[float, float]:
    """(top-1 over all rows, false-match rate over off-topic rows); danger rows need the
    emergency node."""
    right = false = off = 0
    for row in rows:
        node = predict(row.text)
        topic = topics.get(node, node) if node else OFF_TOPIC
        if row.topic == OFF_TOPIC:
            off += 1
            false += node is not None
            right += node is None
        else:
            right += row.accepts(node, topic)
    return right / len(rows), false / off if off else 0.0


def speed(predict: Predict, texts: Sequence[str]) -> float:
    """Matches per second over ``ROUNDS`` passes (after one warm-up pass)."""
    for text in texts:
        predict(text)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for text in texts:
            predict(text)
    return ROUNDS * len(texts) / (time.perf_counter() - start)


def per_message(work: Callable[[str], object], texts: Sequence[str]) -> float:
    """Microseconds per message over ``ROUNDS`` passes (after one warm-up pass)."""
    return 1e6 / speed(work, texts)


def model_timings(flows: Flows, texts: Sequence[str]) -> tuple[float, float]:
    """(fast path, scikit-learn) microseconds per message for the topic and screen models."""
    flows_dir = REPO_ROOT / "flows"
    train, labels = training_data(flows, load_offtopic(flows_dir))
    topics = topic_map(flows)
    classifier = TextClassifier.train(
        train, [topics.get(label, label) for label in labels], keep_sklearn=True
    )
    screens = TextClassifier.train(train, labels, keep_sklearn=True, calibrated=False)
    screens.share_index(classifier)
    chars, words, model = classifier.sklearn  # type: ignore[misc]
    s_chars, s_words, svm = screens.sklearn  # type: ignore[misc]

    def fast(text: str) -> object:
        found = tokens(text)
        prepared = classifier.prepare(found)
        counts = classifier.counts(found, prepared)
        return classifier.probabilities(found, counts=counts), screens.probabilities(
            found, counts=counts
        )

    def plain(text: str) -> object:
        plain_text, stemmed = prepare(tokens(text), classifier.config, classifier._known)
        matrix = hstack([chars.transform([plain_text]), words.transform([stemmed])]).tocsr()
        screen_matrix = hstack(
            [s_chars.transform([plain_text]), s_words.transform([stemmed])]
        ).tocsr()
        return model.predict_proba(matrix), svm.decision_function(screen_matrix)

    # scikit-learn takes milliseconds a message: a sample of the messages keeps the run short.
    return per_message(fast, texts), per_message(plain, texts[::SAMPLE])


def danger_timings(detector: DangerDetector, texts: Sequence[str]) -> tuple[float, float]:
    """(detector, every phrase tried in turn) microseconds per message, on normalised words."""
    words = [tokens(text) for text in texts]
    phrases = detector._phrases.phrases

    def every_phrase(found: Sequence[str]) -> object:
        lookups = detector._lookups(found)
        return [
            phrase
            for phrase in phrases
            if any(
                _fits(phrase.slots[0], lookup) and _PhraseSet._rest(phrase, lookups, p)
                for p, lookup in enumerate(lookups)
            )
        ]

    return per_message(detector.find, words), per_message(every_phrase, words)


def main() -> None:
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    flows = load_flows(REPO_ROOT / "flows").flows
    dev = read_rows(REPO_ROOT / "tests" / "data" / "nlu_eval.tsv")
    held = read_rows(REPO_ROOT / "tests" / "data" / "nlu_eval_held.tsv", "held")
    texts = [r.text for r in dev + held]
    topics = topic_map(flows)

    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    matcher = KeywordMatcher.from_flows(flows, LANGUAGES, flows_dir=REPO_ROOT / "flows")
    built = time.perf_counter() - started
    heap = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    matcher.match("hola", "es")
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    contenders: list[tuple[str, Predict]] = [("exact", exact_baseline(flows))]
    for name, scorer in (
        ("wratio", fuzz.WRatio),
        ("token_set", fuzz.token_set_ratio),
        ("partial", fuzz.partial_ratio),
    ):
        best = max(
            range(60, 100, 5),
            key=lambda cut, s=scorer: accuracy(rapidfuzz_baseline(flows, s, cut), dev, topics)[0],
        )
        contenders.append((f"{name}@{best}", rapidfuzz_baseline(flows, scorer, best)))
    contenders.append(("KeywordMatcher", matcher_predict(matcher)))

    print(f"{len(flows.nodes)} nodes, {len(texts)} messages")
    print(
        f"KeywordMatcher build (training, or the in-memory cache): {built * 1000:.1f} ms, "
        f"{heap / 1024:.0f} KiB of Python heap"
    )
    print(
        f"process max RSS: {rss_start / 1024:.0f} MiB at start, "
        f"{rss_after / 1024:.0f} MiB with the matcher and language models loaded"
    )
    print()
    print(
        f"{'matcher':<16}{'match/s':>10}{'vs exact':>10}{'dev top-1':>11}{'dev FM':>8}"
        f"{'held top-1':>12}{'held FM':>9}"
    )
    baseline = 0.0
    for name, predict in contenders:
        rate = speed(predict, texts)
        baseline = baseline or rate
        dev_top, dev_fm = accuracy(predict, dev, topics)
        held_top, held_fm = accuracy(predict, held, topics)
        print(
            f"{name:<16}{rate:>10.0f}{rate / baseline:>10.3f}{dev_top:>11.1%}{dev_fm:>8.1%}"
            f"{held_top:>12.1%}{held_fm:>9.1%}"
        )
    print()
    reference = per_message(lambda _text: sum(range(1000)), texts)
    match_us = per_message(lambda text: matcher.match(text, "es"), texts)
    fast_us, plain_us = model_timings(flows, texts)
    danger_us, naive_us = danger_timings(matcher.danger, texts)
    print(
        f"one message, µs, mean over {len(texts)} messages "
        f"(machine: sum(range(1000)) takes {reference:.1f} µs now)"
    )
    print(f"  {'TextMatcher.match (all of it)':<36}{match_us:>8.0f}")
    print(f"  {'models, fast path':<36}{fast_us:>8.0f}")
    print(
        f"  {'models, scikit-learn (baseline)':<36}{plain_us:>8.0f}   x{plain_us / fast_us:.1f}"
        f"   (every {SAMPLE}th message)"
    )
    print(f"  {'danger detector':<36}{danger_us:>8.0f}")
    print(
        f"  {'danger, phrases in turn (baseline)':<36}{naive_us:>8.0f}"
        f"   x{naive_us / danger_us:.1f}"
    )
    print()
    full, settled = gc_pauses()
    print(
        f"one full garbage collection with the matcher loaded: {full:.1f} ms as it is "
        f"(baseline), {settled:.2f} ms after bot.heap.settle()   x{full / max(settled, 0.01):.0f}"
    )


def gc_pauses(rounds: int = 5) -> tuple[float, float]:
    """Milliseconds of ``gc.collect()`` (best of ``rounds``) with everything alive tracked, then
    with it frozen by ``bot.heap.settle``: the pause a full collection puts on every turn."""

    def best() -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            gc.collect()
            times.append((time.perf_counter() - started) * 1000)
        return min(times)

    gc.unfreeze()
    full = best()
    settle()
    settled = best()
    gc.unfreeze()
    return full, settled


if __name__ == "__main__":
    main()
