"""Command line: ``python -m bot run | chat | validate``; other groups plug in here.

Every command reads the same settings as the service, so what an editor checks is what runs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import get_settings

__all__ = ["app", "main"]

app = typer.Typer(
    help="Asylum information helpline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def run(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default PORT).")] = None,
) -> None:
    """Serve the helpline: web chat, Telegram webhook (when configured), admin pages."""
    import uvicorn

    from bot.app import create_app
    from bot.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        access_log=False,
        log_config=None,
        proxy_headers=False,
    )


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
        holder = ContentHolder(settings.flows_dir, settings.locales_dir, settings.language_list)
    except ContentError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1) from exc
    run_simulator(holder, lang)


@app.command()
def validate(
    content_dir: Annotated[
        Path | None, typer.Argument(help="Folder with flows/ and locales/ (default: the configured ones).")
    ] = None,
) -> None:
    """Check the content and print every problem as file:line: node: message."""
    from bot.engine.loader import load_flows

    settings = get_settings()
    flows_dir = content_dir / "flows" if content_dir else settings.flows_dir
    result = load_flows(flows_dir)
    for problem in result.problems:
        typer.echo(str(problem))
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    typer.echo(f"{len(result.flows.nodes)} nodes checked: {errors} error(s), {warnings} warning(s).")
    raise typer.Exit(1 if errors else 0)


def main() -> None:
    """Entry point for ``python -m bot`` and the ``helpline`` script."""
    app(prog_name="python -m bot")


if __name__ == "__main__":
    sys.exit(main())
