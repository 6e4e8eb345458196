"""A writable copy of the project (content, code, Babel mapping) for tests of editor commands."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.i18n.catalogs import BabelLocalizer, load_localizer
from bot.settings import REPO_ROOT

__all__ = [
    "LANGS",
    "VALID_CONTENT",
    "copy_project",
    "copy_valid_content",
    "real_flows",
    "real_localizer",
    "run_cli",
]

LANGS = ("es", "en")
VALID_CONTENT = REPO_ROOT / "tests" / "data" / "tooling" / "valid"
"""A tiny valid content folder (English only, so no catalog is needed)."""


def copy_project(root: Path) -> Path:
    """Copy flows, locales (without compiled catalogs), bot/ and babel.cfg into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_ROOT / "flows", root / "flows")
    shutil.copytree(REPO_ROOT / "locales", root / "locales", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(REPO_ROOT / "bot", root / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "babel.cfg", root / "babel.cfg")
    return root


def run_cli(*args: str) -> str:
    """Run one ``./helpline`` command in-process; fail the test with its output when it fails."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def copy_valid_content(root: Path) -> Path:
    """A writable copy of ``VALID_CONTENT`` in ``root``, with the real legal-aid directory beside
    its flows (the service loads it from there)."""
    shutil.copytree(VALID_CONTENT / "flows", root / "flows")
    (root / "locales").mkdir()
    directory = REPO_ROOT / "flows" / "legal_aid"
    if directory.is_dir():
        shutil.copytree(directory, root / "flows" / "legal_aid")
    return root


def real_flows() -> Flows:
    """All real content; it must load without errors."""
    result = load_flows(REPO_ROOT / "flows")
    assert not result.errors, "\n".join(str(p) for p in result.errors)
    return result.flows


def real_localizer() -> BabelLocalizer:
    """The real catalogs, Spanish and English."""
    return load_localizer(REPO_ROOT / "locales", list(LANGS))
