"""``python -m bot match`` and ``python -m bot nlu-eval``: the matcher on its own.

``match`` reads one message a line from stdin and prints ``message<TAB>node<TAB>confidence``
(``-`` when nothing matches; the emergency node for danger), and with ``--candidates`` a fourth
column with the screens that would be offered as buttons, so anyone can run the matcher on their
own messages. ``nlu-eval`` prints the figures for the dev, held-out and fresh files, the language
identification comparison, the training time and the time per message. Both read the configured
flows and translations, exactly as the helpline does. Heavy imports wait until a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.engine.loader import LoadResult
    from bot.nlu.matcher import TextMatcher
    from bot.settings import Settings

__all__ = [
    "DEFAULT_EVAL",
    "DEFAULT_FRESH",
    "DEFAULT_HELD",
    "build_matcher",
    "match_command",
    "nlu_eval_command",
    "train_command",
]

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
DEFAULT_EVAL = DATA / "nlu_eval.tsv"
DEFAULT_HELD = DATA / "nlu_eval_held.tsv"
DEFAULT_FRESH = DATA / "nlu_eval_fresh.tsv"


def _configured_flows(then: str) -> tuple[Settings, LoadResult]:
    """The settings and the configured flows; their errors are printed, then how many and
    ``then`` (what the command does about them)."""
    from bot.engine.loader import load_flows
    from bot.settings import get_settings

    settings = get_settings()
    result = load_flows(settings.flows_dir)
    for problem in result.errors:
        typer.echo(str(problem), err=True)
    if result.errors:
        typer.echo(f"{len(result.errors)} content error(s){then}", err=True)
    return settings, result


def build_matcher() -> TextMatcher:
    """The matcher for the configured flows, translations and languages; errors are printed."""
    from bot.i18n.catalogs import load_localizer
    from bot.nlu.matcher import TextMatcher, catalog_texts

    settings, result = _configured_flows("; matching what loaded.")
    localizer = load_localizer(
        settings.locales_dir, settings.language_list, settings.language_min_coverage
    )
    return TextMatcher.from_flows(
        result.flows,
        settings.language_list,
        flows_dir=settings.flows_dir,
        translations=catalog_texts(result.flows, localizer),
    )


def nlu_eval_command(
    file: Annotated[Path, typer.Argument(help="Dev TSV: text, lang, expected, split.")] = (
        DEFAULT_EVAL
    ),
    held_file: Annotated[
        Path, typer.Option("--held-file", help="The frozen held-out TSV.")
    ] = DEFAULT_HELD,
    fresh_file: Annotated[
        Path, typer.Option("--fresh-file", help="The frozen fresh TSV (a second, later held-out).")
    ] = DEFAULT_FRESH,
    quiet: Annotated[bool, typer.Option(help="Only the figures, not every miss.")] = False,
    held: Annotated[
        bool, typer.Option(help="Also list the held-out misses (never while tuning).")
    ] = False,
    fresh: Annotated[
        bool, typer.Option(help="Also list the fresh part's misses (never while tuning).")
    ] = False,
) -> None:
    """Print dev, held-out and fresh figures: top-1, offered, danger, false alarms, confusions."""
    from bot.nlu.report import full_report

    typer.echo(
        full_report(
            file,
            held_file,
            show_misses=not quiet,
            show_held=held,
            fresh=fresh_file,
            show_fresh=fresh,
        )
    )


def train_command() -> None:
    """Train the free-text classifier into its cache (NLU_CACHE_DIR), e.g. when building an image.

    A service that finds its content's models there loads them seconds after it starts instead
    of training them for half a minute. Content errors are printed, as ``validate`` prints
    them, and nothing is trained (exit 1).
    """
    import time

    from bot.errors import ContentError
    from bot.i18n.catalogs import load_localizer
    from bot.nlu.build import build_matcher as build_service_matcher
    from bot.nlu.matcher import is_trained

    settings, result = _configured_flows(": nothing trained.")
    if result.errors:
        raise typer.Exit(1)
    cache = settings.nlu_cache
    if is_trained(result.flows, settings.flows_dir, None, cache):
        typer.echo(f"the classifier for this content is already in {cache}")
        return
    localizer = load_localizer(
        settings.locales_dir, settings.language_list, settings.language_min_coverage
    )
    started = time.perf_counter()
    try:
        build_service_matcher(result.flows, localizer.locales, settings.flows_dir, localizer, cache)
    except ContentError as exc:
        for trouble in exc.problems:
            typer.echo(str(trouble), err=True)
        typer.echo(f"{exc}: nothing trained.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"trained the classifier into {cache} in {time.perf_counter() - started:.0f} s")


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
