"""``./helpline settings example > .env.example``: every setting, written from README's table.

README.md's settings table is where operators read what each variable means; ``.env.example`` is
what they copy. Generating one from the other keeps them the same (a test checks the file is up to
date with both the README and ``Settings``). Every line is commented out: the defaults run
everything locally, so a copied file changes nothing until a line is uncommented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import REPO_ROOT

__all__ = ["Setting", "env_example", "readme_settings", "settings_app"]

HEADER = """\
# The helpline's settings (see README.md, "Settings"). Copy to .env and uncomment what you change.
# Generated from README.md by `./helpline settings example > .env.example`; do not edit by hand.
"""

README = REPO_ROOT / "README.md"
_CODE = re.compile(r"^`([^`]*)`$")


@dataclass(frozen=True)
class Setting:
    """One variable of the README's table: its name, default (``None``: none) and meaning."""

    name: str
    default: str | None
    meaning: str
    default_note: str = ""
    """A default that is not a plain value ("SQLite file data/helpline.db"), in words."""


def _plain(markdown: str) -> str:
    return markdown.replace("`", "").replace("\\|", "|").strip()


def readme_settings(readme: str) -> list[Setting]:
    """The rows of the table under "## Settings", a row of two variables ("A / B") as two."""
    section = readme[readme.index("## Settings") :]
    settings: list[Setting] = []
    for line in section.splitlines():
        if line.startswith("## ") and settings:
            break
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        names = [_plain(name) for name in cells[0].split(" / ")]
        defaults = cells[1].split(" / ") if len(names) > 1 else [cells[1]]
        for name, default in zip(names, defaults, strict=True):
            value = _CODE.match(default.strip())
            if value:
                settings.append(Setting(name, value.group(1), _plain(cells[2])))
            elif default.strip() in ("—", "-", ""):
                settings.append(Setting(name, None, _plain(cells[2])))
            else:
                settings.append(Setting(name, None, _plain(cells[2]), _plain(default)))
    known = {setting.name for setting in settings}
    return [_relative(setting, known) for setting in settings]


def _relative(setting: Setting, names: set[str]) -> Setting:
    """A default that names another setting (``DATA_DIR/state-secret.key``) is not a value to
    uncomment as written: say it in words instead."""
    default = setting.default or ""
    if not any(name in default for name in names - {setting.name}):
        return setting
    return Setting(setting.name, None, setting.meaning, default)


def env_example(readme: str) -> str:
    """The text of ``.env.example`` for this README."""
    blocks = [HEADER]
    for setting in readme_settings(readme):
        lines = [f"# {setting.meaning}"]
        if setting.default_note:
            lines.append(f"# (default: {setting.default_note})")
        lines.append(f"# {setting.name}={setting.default or ''}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


settings_app = typer.Typer(help="The settings: an .env.example written from README's table.")


@settings_app.command("example")
def example_command(
    readme: Annotated[Path, typer.Option(help="The README with the table.")] = README,
) -> None:
    """Print an .env.example with every setting, its default and meaning (all commented out)."""
    typer.echo(env_example(readme.read_text(encoding="utf-8")), nl=False)
