"""The ``nlu-eval`` report: figures per part, language identification compared, time.

Kept apart from ``bot.nlu.evaluate`` (pure scoring) because it loads content, trains, times and
optionally imports ``lingua`` for the language comparison.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from bot.nlu.evaluate import Row, evaluate, format_report, read_rows

__all__ = ["full_report", "language_comparison"]


def language_comparison(rows: Sequence[Row], guessers: dict[str, object]) -> list[str]:
    """Right / wrong / no guess for each guesser on the ``es`` and ``en`` rows."""
    lines = ["language identification on es/en rows (right / wrong / no guess, time per message):"]
    scored = [r for r in rows if r.lang in ("es", "en")]
    for name, guesser in guessers.items():
        right = wrong = 0
        started = time.perf_counter()
        for row in scored:
            found = guesser.guess(row.text)  # type: ignore[attr-defined]
            right += found == row.lang
            wrong += found not in (None, row.lang)
        elapsed = (time.perf_counter() - started) / max(len(scored), 1)
        n = max(len(scored), 1)
        lines.append(
            f"  {name:<26} {right / n:6.1%} / {wrong / n:5.1%} / {(n - right - wrong) / n:5.1%}"
            f"   {elapsed * 1e6:6.0f} µs   ({len(scored)} rows)"
        )
    return lines


def full_report(
    dev: Path,
    held: Path,
    show_misses: bool = True,
    show_held: bool = False,
    fresh: Path | None = None,
    show_fresh: bool = False,
) -> str:
    """Everything ``nlu-eval`` prints; the frozen parts' misses only when asked for."""
    from bot.nlu.classifier import TextClassifier
    from bot.nlu.cli import build_matcher
    from bot.nlu.matcher import training_data
    from bot.nlu.offtopic import load_offtopic
    from bot.settings import get_settings

    matcher = build_matcher()
    dev_rows = read_rows(dev, "dev")
    held_rows = read_rows(held, "held") if held.is_file() else []
    fresh_rows = read_rows(fresh, "fresh") if fresh is not None and fresh.is_file() else []
    parts = [("dev", evaluate(matcher, dev_rows))]
    if held_rows:
        parts.append(("held", evaluate(matcher, held_rows)))
    if fresh_rows:
        parts.append(("fresh", evaluate(matcher, fresh_rows)))
    shown = {"dev": True, "held": show_held, "fresh": show_fresh}
    misses = [name for name, _ in parts if show_misses and shown[name]]
    lines = [format_report(parts, misses_of=misses)]
    from bot.engine.loader import load_flows

    flows_dir = get_settings().flows_dir
    texts, labels = training_data(load_flows(flows_dir).flows, load_offtopic(flows_dir))
    started = time.perf_counter()
    TextClassifier.train(texts, labels, matcher.classifier.config)
    trained = time.perf_counter() - started
    all_rows = dev_rows + held_rows + fresh_rows
    started = time.perf_counter()
    for row in all_rows:
        matcher.match(row.text, row.lang if row.lang in matcher.languages else "es")
    per_message = (time.perf_counter() - started) / max(len(all_rows), 1)
    started = time.perf_counter()
    for _ in range(200):
        sum(range(1000))
    baseline = (time.perf_counter() - started) / 200
    lines.append("")
    lines.append(
        f"training: {len(texts)} texts, {len(set(labels))} labels, {trained * 1000:.0f} ms; "
        f"one message: {per_message * 1e6:.0f} µs on average over {len(all_rows)} messages "
        f"(this machine runs sum(range(1000)) in {baseline * 1e6:.0f} µs now)"
    )
    guessers: dict[str, object] = {"helpline n-grams (service)": matcher.guesser}
    try:
        from bot.nlu.language import LinguaGuesser

        guessers["lingua (not installed)"] = None
        guessers.pop("lingua (not installed)")
        guessers["lingua, es/en only"] = LinguaGuesser(["es", "en"])
    except ImportError:
        lines.append("(lingua-language-detector is not installed: its comparison is skipped)")
    lines.append("")
    lines.extend(language_comparison(all_rows, guessers))
    return "\n".join(lines)
