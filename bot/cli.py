"""Command line: ``python -m bot run | chat | validate``; other groups plug in here.

Every command reads the same settings as the service, so what an editor checks is what runs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from bot.directory.cli import providers_app
from bot.env_example import settings_app
from bot.errors import ConfigurationError
from bot.i18n.cli import i18n_app
from bot.settings import Settings, explain_settings_error, get_settings

__all__ = ["app", "main"]

app = typer.Typer(
    help="Asylum information helpline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(i18n_app, name="i18n")
app.add_typer(providers_app, name="providers")
app.add_typer(settings_app, name="settings")


@app.command()
def run(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default PORT).")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes on one port (share PostgreSQL).")
    ] = 1,
) -> None:
    """Serve the helpline: web chat, Telegram webhook (when configured), admin pages."""
    from bot.workers import serve

    serve(host, port, workers)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic); safe to run at every start."""
    from bot.store.database import migrate as upgrade

    settings = get_settings()
    upgrade(settings.effective_database_url)
    typer.echo("database schema is up to date")


@app.command()
def chat(
    lang: Annotated[str | None, typer.Option(help="Language to start in, e.g. es or en.")] = None,
) -> None:
    """Chat with the helpline in this terminal (reads stdin; numbers press buttons)."""
    from bot.content import ContentHolder
    from bot.errors import ContentError
    from bot.simulator import run_simulator

    logging.basicConfig(level=logging.WARNING)
    settings = get_settings()
    try:
        holder = ContentHolder.from_settings(settings)
    except ContentError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1) from exc
    run_simulator(holder, lang)


@app.command()
def validate(
    content_dir: Annotated[
        Path | None,
        typer.Argument(help="Folder with flows/ and locales/ (default: the configured ones)."),
    ] = None,
    before: Annotated[
        Path | None,
        typer.Option(
            "--before",
            help="The flows/ folder now in service: warn about buttons the change re-routes.",
        ),
    ] = None,
) -> None:
    """Check the content and print every problem as file:line: node "id": message."""
    import datetime as dt

    from bot.engine.loader import load_flows
    from bot.engine.validate import ValidationConfig, rerouted_buttons, validate_content

    settings = get_settings()
    flows_dir = content_dir / "flows" if content_dir else settings.flows_dir
    locales_dir = content_dir / "locales" if content_dir else settings.locales_dir
    if not flows_dir.is_dir():
        typer.echo(f"{flows_dir}: no such folder (name one holding flows/ and locales/)", err=True)
        raise typer.Exit(2)
    config = ValidationConfig(
        today=dt.date.today(),
        review_max_days=settings.content_review_max_days,
        min_coverage=settings.language_min_coverage,
    )
    problems = validate_content(flows_dir, locales_dir, settings.language_list, config)
    if before is not None:
        old = load_flows(before).flows
        problems = sorted({*problems, *rerouted_buttons(old, load_flows(flows_dir).flows)})
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len(list(flows_dir.glob("*.yaml")))
    nodes = len(load_flows(flows_dir).flows.nodes)
    verdict = "content is NOT ready: fix the errors" if errors else "content is ready"
    typer.echo(
        f"{files} flow files, {nodes} nodes, languages {', '.join(settings.language_list)}: "
        f"{errors} error(s), {warnings} warning(s); {verdict}."
    )
    raise typer.Exit(1 if errors else 0)


@app.command()
def diagram(
    fmt: Annotated[
        str, typer.Option("--format", help="svg (needs Graphviz), mermaid or dot.")
    ] = "svg",
    output: Annotated[
        Path | None,
        typer.Option(help="File to write (default: flow-diagram.svg for svg, else the screen)."),
    ] = None,
    content_dir: Annotated[
        Path | None, typer.Argument(help="Folder with flows/ (default: the configured FLOWS_DIR).")
    ] = None,
) -> None:
    """Draw the flow graph: screens with id and title, legal screens with their review date."""
    from bot.diagram import GraphvizMissing, render
    from bot.engine.loader import load_flows

    if fmt not in ("svg", "mermaid", "dot"):
        typer.echo(f'unknown format "{fmt}": use svg, mermaid or dot', err=True)
        raise typer.Exit(2)
    flows_dir = content_dir / "flows" if content_dir else get_settings().flows_dir
    result = load_flows(flows_dir)
    if result.errors:
        count = len(result.errors)
        typer.echo(f"{count} content error(s): the diagram may miss parts (run validate)", err=True)
    try:
        data = render(result.flows, fmt)  # type: ignore[arg-type]
    except GraphvizMissing as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    target = output or (Path("flow-diagram.svg") if fmt == "svg" else None)
    if target is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    target.write_bytes(data)
    typer.echo(f"wrote {target} ({len(result.flows.nodes)} screens)")


from bot.nlu.cli import (  # noqa: E402 - free-text matcher commands
    match_command,
    nlu_eval_command,
    train_command,
)

app.command("match")(match_command)
app.command("nlu-eval")(nlu_eval_command)
app.command("train")(train_command)
from bot.readability import readability_command  # noqa: E402 - readability per screen

app.command("readability")(readability_command)


def main() -> None:
    """Entry point for ``python -m bot`` and the ``helpline`` script.

    Settings that cannot work end the command with their explanation and exit status 2, not
    with a traceback: the person reading it is setting up a server, not debugging Python.
    """
    try:
        app(prog_name="./helpline")
    except ValidationError as exc:
        if exc.title != Settings.__name__:
            raise
        typer.echo(explain_settings_error(exc), err=True)
        raise SystemExit(2) from None
    except ConfigurationError as exc:
        typer.echo(f"The helpline cannot start: {exc}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
