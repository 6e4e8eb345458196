"""``python -m bot i18n extract|update|compile|stats|add LANG``: translations for editors.

Each command runs Babel's own command line (the ``pybabel`` frontend) with this project's
options, so translators get exactly what ``pybabel`` would do and nothing is re-implemented:
``extract`` collects every flow and interface string into ``locales/messages.pot`` (mapping in
``babel.cfg``); ``update`` brings each ``.po`` up to date and, when an English text changed, keeps
the old translation as a *fuzzy* suggestion with the old English beside it, so the translator
edits it instead of starting over (a fuzzy entry never reaches people: ``compile`` leaves it out
and the validator asks to check it); ``compile`` writes the ``.mo``
files, ``add`` starts a new language. ``stats`` reads the catalogs and prints their coverage.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Annotated

import typer
from babel import Locale, UnknownLocaleError
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.i18n.catalogs import (
    DOMAIN,
    SOURCE_LANGUAGE,
    catalog_coverage,
    catalog_paths,
    enabled_languages,
)
from bot.settings import REPO_ROOT, get_settings

__all__ = ["i18n_app", "pybabel"]

POT = f"{DOMAIN}.pot"
MAPPING = "babel.cfg"

i18n_app = typer.Typer(
    help="Translations: extract strings, update and compile catalogs, coverage, new languages.",
    no_args_is_help=True,
)

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="Project folder holding babel.cfg, flows/, locales/ and bot/ (default: the one "
        "FLOWS_DIR is in).",
    ),
]


def pybabel(args: list[str], cwd: Path, quiet: bool = False) -> int:
    """Run Babel's own ``pybabel`` command line in ``cwd``; return its exit status.

    ``quiet`` keeps only Babel's errors (it otherwise names every file it reads).
    """
    babel_log = logging.getLogger("babel")
    for handler in list(babel_log.handlers):
        # pybabel reuses its first handler, which may hold a stream that is closed by now.
        babel_log.removeHandler(handler)
    with contextlib.chdir(cwd):
        argv = ["pybabel", *(["-q"] if quiet else []), *args]
        status = CommandLineInterface().run(argv)  # type: ignore[no-untyped-call]
    return int(status or 0)


def _root(root: Path | None) -> Path:
    folder = (root or get_settings().flows_dir.parent).resolve()
    if not (folder / "flows").is_dir():
        typer.echo(
            f"{folder} has no flows/ folder; use --root to name the project folder", err=True
        )
        raise typer.Exit(2)
    if not (folder / "bot").is_dir():
        typer.echo(
            f"{folder} has no bot/ folder: the interface strings live there. Run this command "
            "in the repository folder (or use --root).",
            err=True,
        )
        raise typer.Exit(2)
    return folder


def _check(status: int, what: str) -> None:
    if status:
        typer.echo(
            f"pybabel {what} failed (exit status {status}); see the messages above", err=True
        )
        raise typer.Exit(status)


def _extract(root: Path) -> None:
    mapping = root / MAPPING if (root / MAPPING).exists() else REPO_ROOT / MAPPING
    (root / "locales").mkdir(exist_ok=True)
    args = [
        "extract",
        "-F", str(mapping),
        "-k", "N_",
        "--no-wrap",
        "--sort-by-file",
        "-o", f"locales/{POT}",
        ".",
    ]  # fmt: skip
    _check(pybabel(args, root, quiet=True), "extract")


def _update(root: Path) -> None:
    if not catalog_paths(root / "locales"):
        typer.echo("no language catalogs yet; add one with: ./helpline i18n add LANG")
        return
    args = [
        "update",
        "-i", f"locales/{POT}",
        "-d", "locales",
        "-D", DOMAIN,
        "--no-wrap",
        "--previous",  # a fuzzy entry shows the old English too (#| msgid), to compare
    ]  # fmt: skip
    _check(pybabel(args, root, quiet=True), "update")


@i18n_app.command()
def extract(root: RootOption = None) -> None:
    """Collect every flow and interface string into locales/messages.pot."""
    folder = _root(root)
    _extract(folder)
    typer.echo(f"wrote {folder / 'locales' / POT}")


@i18n_app.command()
def update(
    root: RootOption = None,
    do_extract: Annotated[
        bool, typer.Option("--extract/--no-extract", help="Extract the strings first.")
    ] = True,
) -> None:
    """Add new English strings to every .po (translations already there are kept)."""
    folder = _root(root)
    if do_extract:
        _extract(folder)
    _update(folder)
    _print_stats(folder / "locales")


@i18n_app.command(name="compile")
def compile_catalogs(root: RootOption = None) -> None:
    """Compile every .po to the .mo the helpline reads (fuzzy entries are left out)."""
    folder = _root(root)
    if not catalog_paths(folder / "locales"):
        typer.echo("no language catalogs to compile")
        return
    _check(pybabel(["compile", "-d", "locales", "-D", DOMAIN, "--statistics"], folder), "compile")


@i18n_app.command()
def stats(root: RootOption = None) -> None:
    """Show how much of each language is translated, and whether it is in the language menu."""
    _print_stats(_root(root) / "locales")


@i18n_app.command()
def add(
    lang: Annotated[str, typer.Argument(help="Language code, e.g. pt, fr, ht (Haitian Creole).")],
    root: RootOption = None,
) -> None:
    """Start a new language: locales/LANG/LC_MESSAGES/messages.po from the English strings."""
    folder = _root(root)
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        typer.echo(f'"{lang}" is not a language code Babel knows (try e.g. pt, fr, ht)', err=True)
        raise typer.Exit(2) from exc
    code = str(locale)
    if code == SOURCE_LANGUAGE:
        typer.echo("English is the source language: its text is in flows/ itself", err=True)
        raise typer.Exit(2)
    target = folder / "locales" / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if target.exists():
        typer.echo(
            f"{target} already exists; to bring it up to date run: ./helpline i18n update",
            err=True,
        )
        raise typer.Exit(1)
    _extract(folder)
    args = [
        "init",
        "-i", f"locales/{POT}",
        "-d", "locales",
        "-D", DOMAIN,
        "-l", code,
        "--no-wrap",
    ]  # fmt: skip
    _check(pybabel(args, folder, quiet=True), "init")
    minimum = get_settings().language_min_coverage
    typer.echo(
        f"created {target.relative_to(folder)} for {locale.english_name}. Translate it (Poedit or "
        f"any .po editor); it appears in the language menu once {minimum:.0%} is translated, or "
        f"at once if you add {code} to LANGUAGES."
    )


def _print_stats(locales_dir: Path) -> None:
    settings = get_settings()
    paths = catalog_paths(locales_dir)
    if not paths:
        typer.echo("no language catalogs yet; add one with: ./helpline i18n add LANG")
        return
    menu = enabled_languages(locales_dir, settings.language_list, settings.language_min_coverage)
    pending = _template_ids(locales_dir / POT)
    typer.echo(f"{'language':<12}{'translated':>14}{'%':>8}{'fuzzy':>8}{'untranslated':>14}  menu")
    for code, path in paths.items():
        coverage = catalog_coverage(path)
        where = _menu_state(code, menu, settings.language_list)
        typer.echo(
            f"{code:<12}{coverage.translated:>7}/{coverage.total:<6}{coverage.ratio:>8.1%}"
            f"{coverage.fuzzy:>8}{coverage.untranslated:>14}  {where}"
        )
        if pending is not None:
            missing = len(pending - _catalog_ids(path))
            if missing:
                typer.echo(
                    f"{'':<12}{missing} new English string(s) not in this catalog yet: "
                    "run i18n update"
                )


def _menu_state(code: str, menu: list[str], configured: list[str]) -> str:
    if code in configured:
        return "yes (LANGUAGES)"
    if code in menu:
        return "yes (translated enough)"
    return "not yet"


def _template_ids(pot: Path) -> set[str] | None:
    return _catalog_ids(pot) if pot.exists() else None


def _catalog_ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}
