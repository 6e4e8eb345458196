"""``python -m bot match`` and ``python -m bot nlu-eval`` as a person runs them."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from bot.cli import app
from bot.settings import REPO_ROOT


def test_match_prints_message_node_and_confidence() -> None:
    messages = "asilo?\nme quieren matar\n\ncuanto cuesta el pasaje\n"
    result = CliRunner().invoke(app, ["match", "--lang", "es"], input=messages)
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert [(text, node) for text, node, _ in lines] == [
        ("asilo?", "asylum"),
        ("me quieren matar", "emergency"),
        ("cuanto cuesta el pasaje", "-"),
    ]
    assert all(0.0 <= float(confidence) <= 1.0 for _, _, confidence in lines)


def test_nlu_eval_prints_the_figures() -> None:
    """Run as a real process, the way the README tells people to."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "nlu-eval", "--quiet"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    for column in ("top-1", "offered", "danger", "false danger", "off-topic FM"):
        assert column in header
    assert [row.split()[0] for row in rows[:2]] == ["dev", "held"]
    assert "worst confusions, dev" in done.stdout and "worst confusions, held" in done.stdout
    assert "misses (held)" not in done.stdout, "held-out misses stay unseen"
    assert "language identification" in done.stdout and "training:" in done.stdout


def test_match_eval_option_is_the_same_report() -> None:
    path = REPO_ROOT / "tests" / "data" / "nlu_eval.tsv"
    result = CliRunner().invoke(app, ["match", "--eval", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("part")
    assert "misses (dev):" in result.output


def test_match_can_show_the_candidates_of_a_close_call() -> None:
    result = CliRunner().invoke(app, ["match", "--candidates"], input="asilo o tortura\nasilo\n")
    assert result.exit_code == 0, result.output
    close, sure = (line.split("\t") for line in result.output.splitlines())
    assert close[1] == "-" and len(close[3].split(",")) >= 2
    assert sure[1] == "asylum" and sure[3] == ""
