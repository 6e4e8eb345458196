"""``python -m bot match`` and ``python -m bot nlu-eval``: the matcher on its own.

``match`` reads one message a line from stdin and prints ``message<TAB>node<TAB>confidence``
(``-`` when nothing matches; the emergency node for danger), so anyone can run the matcher on
their own evaluation set. ``nlu-eval`` prints accuracy figures for a labelled TSV file.
Both read the configured flows, exactly as the helpline does. Heavy imports wait until a
command runs, so that ``python -m bot --help`` stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.nlu.matcher import KeywordMatcher

__all__ = ["DEFAULT_EVAL", "build_matcher", "match_command", "nlu_eval_command"]

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "tests" / "data" / "nlu_eval.tsv"


def build_matcher() -> KeywordMatcher:
    """The matcher for the configured flows and languages; content errors are printed."""
    from bot.engine.loader import load_flows
    from bot.nlu.matcher import KeywordMatcher
    from bot.settings import get_settings

    settings = get_settings()
    result = load_flows(settings.flows_dir)
    for problem in result.errors:
        typer.echo(str(problem), err=True)
    if result.errors:
        typer.echo(f"{len(result.errors)} content error(s); matching what loaded.", err=True)
    return KeywordMatcher.from_flows(result.flows, settings.language_list)


def nlu_eval_command(
    file: Annotated[Path, typer.Argument(help="Labelled TSV: text, lang, expected, split.")] = (
        DEFAULT_EVAL
    ),
    quiet: Annotated[bool, typer.Option(help="Only the figures, not every miss.")] = False,
    held: Annotated[
        bool, typer.Option(help="Also list the held-out misses (not while tuning).")
    ] = False,
) -> None:
    """Print top-1 accuracy, topic confusion, off-topic false matches and danger routing."""
    from bot.nlu.evaluate import evaluate, format_report, read_rows

    misses = ("dev", "held") if held else ("dev",)
    report = format_report(evaluate(build_matcher(), read_rows(file)), misses_of=misses)
    if quiet:
        report = report.split("\nmisses")[0]
    typer.echo(report)


def match_command(
    lang: Annotated[str | None, typer.Option(help="Conversation language, e.g. es or en.")] = None,
    eval_file: Annotated[
        Path | None, typer.Option("--eval", help="Evaluate this labelled TSV instead.")
    ] = None,
    candidates: Annotated[
        bool, typer.Option(help="Add a fourth column: the close-call candidates, comma-separated.")
    ] = False,
) -> None:
    """Match messages from stdin, one a line: prints message, node (or -) and confidence.

    A close call prints ``-`` as the node (nothing is chosen) with the best candidate's
    confidence; ``--candidates`` shows which screens would be offered.
    """
    if eval_file is not None:
        nlu_eval_command(eval_file)
        return
    matcher = build_matcher()
    locale = lang or matcher.languages[0]
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        found = matcher.match(text, locale)
        line = f"{text}\t{found.node or '-'}\t{found.confidence:.2f}"
        if candidates:
            line += "\t" + ",".join(found.candidates)
        typer.echo(line)
