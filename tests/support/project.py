"""A writable copy of the project (content, code, Babel mapping) for tests of editor commands."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.settings import REPO_ROOT

__all__ = ["copy_project", "run_cli"]


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
