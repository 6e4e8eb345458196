"""``python -m bot providers validate | import | export``: the legal-aid directory for editors.

``validate`` checks both files of ``flows/legal_aid/`` and that the national screen quotes their
numbers exactly, in every language. ``export`` writes a CSV for review in a spreadsheet; ``import``
reads one back, runs every check and writes ``providers.yaml`` only when there is no error.
Problems print as ``file:line: provider "id": message``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import get_settings

__all__ = ["providers_app"]

providers_app = typer.Typer(
    help="The legal-aid directory: check it, export it to a spreadsheet, import it back.",
    no_args_is_help=True,
)

FolderOption = Annotated[
    Path | None,
    typer.Option(
        "--folder",
        help="Folder with providers.yaml and national.yaml (default: FLOWS_DIR/legal_aid).",
    ),
]


def _folder(folder: Path | None) -> Path:
    return folder or get_settings().flows_dir / "legal_aid"


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _print(problems: Sequence[object]) -> tuple[int, int]:
    errors = 0
    for problem in problems:
        typer.echo(str(problem))
        errors += getattr(problem, "severity", "error") == "error"
    return errors, len(problems) - errors


@providers_app.command()
def validate(folder: FolderOption = None) -> None:
    """Check every organization and national resource; exit 1 when there is an error."""
    from bot.directory.loader import NATIONAL_FILE, load_directory_data, parse_national_file
    from bot.directory.service import check_national_text
    from bot.engine.loader import load_flows
    from bot.i18n.catalogs import load_localizer

    settings = get_settings()
    where = _folder(folder)
    data = load_directory_data(
        where,
        dt.date.today(),
        settings.legal_aid_warn_days,
        settings.legal_aid_hide_days,
        root=Path.cwd(),
    )
    problems = list(data.problems)
    flows_dir = where.parent
    national_path = where / NATIONAL_FILE
    if (flows_dir / "legal_aid.yaml").exists() and national_path.exists():
        entries, _ = parse_national_file(national_path, _display(national_path))
        flows = load_flows(flows_dir).flows
        localizer = load_localizer(settings.locales_dir, settings.language_list)
        problems += check_national_text(entries, flows, localizer, _display(national_path))
    errors, warnings = _print(sorted(problems))
    typer.echo(
        f"{len(data.providers)} organization(s) and {len(data.national)} national resource(s) "
        f"checked: {errors} error(s), {warnings} warning(s)."
    )
    raise typer.Exit(1 if errors else 0)


@providers_app.command("import")
def import_csv(
    csv_file: Annotated[Path, typer.Argument(help="A CSV export of the spreadsheet.")],
    folder: FolderOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write (default: FOLDER/providers.yaml)."),
    ] = None,
) -> None:
    """Read a spreadsheet (CSV) and write providers.yaml, only if every row is valid."""
    from bot.directory.csvio import dump_providers, read_csv
    from bot.directory.loader import PROVIDERS_FILE, check_providers

    settings = get_settings()
    display = _display(csv_file)
    entries, problems = read_csv(csv_file, display)
    problems += check_providers(
        entries,
        display,
        dt.date.today(),
        settings.legal_aid_warn_days,
        settings.legal_aid_hide_days,
    )
    errors, _ = _print(sorted(problems))
    target = output or _folder(folder) / PROVIDERS_FILE
    if errors:
        typer.echo(f"Nothing was written: fix the {errors} error(s) above and import again.")
        raise typer.Exit(1)
    if not entries:
        typer.echo("The spreadsheet has no organizations; nothing was written.")
        raise typer.Exit(1)
    target.write_text(dump_providers([e.item for e in entries]), encoding="utf-8")
    typer.echo(f"Wrote {len(entries)} organizations to {_display(target)}.")


@providers_app.command()
def export(
    folder: FolderOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="CSV file to write (default: print it).")
    ] = None,
) -> None:
    """Write providers.yaml as CSV for review in a spreadsheet (lists joined with ";")."""
    from bot.directory.csvio import export_csv
    from bot.directory.loader import PROVIDERS_FILE, parse_providers_file

    path = _folder(folder) / PROVIDERS_FILE
    entries, problems = parse_providers_file(path, _display(path))
    errors, _ = _print(sorted(problems))
    if errors:
        typer.echo(
            "Fix the errors above first: the export would miss those organizations.", err=True
        )
        raise typer.Exit(1)
    text = export_csv([e.item for e in entries])
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {len(entries)} organizations to {_display(output)}.")
