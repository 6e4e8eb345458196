"""The webhook benchmark runs end to end with tiny numbers (its figures are not checked: no
timing assertions in tests), so ``make bench`` cannot rot unnoticed."""

from __future__ import annotations

import subprocess
import sys

from bot.settings import REPO_ROOT


def _run_bench(*args: str) -> str:
    """``python -m bench.webhook_bench ARGS`` from the repository; its output, once it ended
    well."""
    run = subprocess.run(
        [sys.executable, "-m", "bench.webhook_bench", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def test_the_webhook_benchmark_runs_with_tiny_numbers() -> None:
    out = _run_bench(
        "--quick", "--duration", "0.3", "--levels", "1,2", "--rate", "10", "--burst", "0.3"
    )
    for label in ("bare FastAPI route", "PTB echo bot", "helpline SQLite 1w"):
        assert label in out
    assert "answered/s" in out and "p99" in out and "burst" in out and "RSS" in out
    assert "x echo" in out, "the helpline's figures come with the echo bot's ratio"


def test_the_interleaved_webhook_benchmark_runs_with_tiny_numbers() -> None:
    out = _run_bench("--rounds", "2", "--duration", "0.3", "--levels", "1")
    for label in ("bare FastAPI route", "PTB echo bot", "helpline SQLite 1w", "concurrency 1"):
        assert label in out
    assert "x echo" in out and "rounds:" in out, "medians, the ratio, and each round's figure"
