"""Benchmark the free-text matcher: matches per second, memory, and accuracy against baselines.

Run: ``.venv/bin/python bench/nlu_bench.py``. Everything is measured in this one run, on the
real flows and the labelled set ``tests/data/nlu_eval.tsv``:

* ``exact``: normalise, then look the whole message up among the normalised keywords. The
  cheapest possible matcher, and the speed baseline the ratio is taken against.
* ``wratio``, ``token_set``, ``partial``: rapidfuzz ``process.extractOne`` of the whole
  message against every keyword with that scorer, the cut-off chosen on the dev rows. These
  are the obvious ways to use rapidfuzz, kept here so the choice of scorer stays measured.
* ``KeywordMatcher``: what the helpline uses (danger words, small talk, word-by-word fuzzy
  keyword evidence, language identification).

Timings are wall-clock and vary between machines: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import gc
import resource
import time
import tracemalloc
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process

from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.nlu import KeywordMatcher
from bot.nlu.evaluate import OFF_TOPIC, Row, read_rows
from bot.nlu.normalize import normalize
from bot.nlu.topics import topic_map
from bot.settings import REPO_ROOT

LANGUAGES = ["es", "en"]
ROUNDS = 5

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


def main() -> None:
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    flows = load_flows(REPO_ROOT / "flows").flows
    rows = read_rows(REPO_ROOT / "tests" / "data" / "nlu_eval.tsv")
    dev = [r for r in rows if r.split == "dev"]
    held = [r for r in rows if r.split == "held"]
    texts = [r.text for r in rows]
    topics = topic_map(flows)

    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    matcher = KeywordMatcher.from_flows(flows, LANGUAGES)
    built = time.perf_counter() - started
    heap = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    matcher.match("hola", "es")  # loads the language models
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

    print(f"{len(flows.nodes)} nodes, {len(matcher.phrases)} keywords, {len(texts)} messages")
    print(f"KeywordMatcher build: {built * 1000:.1f} ms, {heap / 1024:.0f} KiB of Python heap")
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


if __name__ == "__main__":
    main()
