"""The editors' guides are correct as written: every YAML snippet is valid, the worked example
works when followed step by step, and every command they print runs as typed in a fresh shell.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from typer.testing import CliRunner

from bot.cli import app
from bot.engine.model import Button, Message, Node, Notice, Source
from bot.engine.validate import ValidationConfig, validate_content
from bot.engine.yaml_lines import LineLoader
from bot.settings import REPO_ROOT
from tests.support.project import run_cli

GUIDES = [REPO_ROOT / "CONTENT.md", REPO_ROOT / "CONTENT.es.md"]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PO = Path("locales/es/LC_MESSAGES/messages.po")


@dataclass(frozen=True)
class Snippet:
    guide: str
    line: int
    language: str
    text: str

    def __str__(self) -> str:
        return f"{self.guide}:{self.line}"


def snippets(language: str | None = None) -> list[Snippet]:
    found = []
    for guide in GUIDES:
        text = guide.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            snippet = Snippet(guide.name, line, match.group(1), match.group(2))
            if language is None or snippet.language == language:
                found.append(snippet)
    return found


def _check_shape(data: Any) -> None:
    """Validate a snippet with the model it is a piece of: screens, buttons, bubbles, facts."""
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        if "expires" in item or ("text" in item and "reviewed" in item):
            Notice.model_validate(item)
        elif "title" in item and "id" in item:
            Node.model_validate(item)
        elif "goto" in item:
            Button.model_validate(item)
        elif "confidence" in item:
            Source.model_validate(item)
        elif set(item) <= {"text", "when"} and "text" in item:
            Message.model_validate(item)
        elif set(item) & set(Node.model_fields):
            Node.model_validate({"id": "snippet", "title": "Snippet", **item})
        else:
            for value in item.values():
                if isinstance(value, list | dict):
                    _check_shape(value)


@pytest.mark.parametrize("snippet", snippets("yaml"), ids=str)
def test_every_yaml_snippet_in_the_guides_is_valid(snippet: Snippet) -> None:
    data = yaml.load(textwrap.dedent(snippet.text), Loader=LineLoader)
    assert data is not None, f"{snippet} is empty"
    _check_shape(data)


def test_the_guides_have_yaml_snippets_to_check() -> None:
    assert len(snippets("yaml")) >= 6


def _worked_example(guide: Path) -> tuple[str, str]:
    """The screen and the button of the guide's worked example, as the guide prints them."""
    text = guide.read_text(encoding="utf-8")
    section = text[text.index("court_lawyer_cost") - 200 :]
    blocks = [m.group(2) for m in FENCE.finditer(section) if m.group(1) == "yaml"]
    return blocks[0], blocks[1]


def _translate_everything_new(root: Path) -> None:
    """Do what the translator does in step 5: translate each empty entry, check each fuzzy one."""
    path = root / PO
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = f"ES {message.id}"
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_worked_example_works_step_by_step(project: Path, guide: Path) -> None:
    screen, button = _worked_example(guide)
    config = ValidationConfig(today=dt.date(2026, 12, 1))
    court = project / "flows" / "court.yaml"
    text = court.read_text(encoding="utf-8")
    # Step 1: the screen goes under nodes: (at the end of the file); step 2: the button goes
    # under the court screen's buttons:.
    start = text.index("  - id: court\n")
    buttons = text.index("    buttons:\n", start) + len("    buttons:\n")
    text = text[:buttons] + button + text[buttons:]
    court.write_text(text.rstrip("\n") + "\n\n" + screen, encoding="utf-8")
    # Step 3: the validator asks only for the Spanish of the new sentences.
    found = validate_content(project / "flows", project / "locales", ["es", "en"], config)
    errors = [p for p in found if p.severity == "error"]
    assert errors, "the new sentences have no Spanish yet"
    assert all("is not in locales/es/LC_MESSAGES/messages.po yet" in p.message for p in errors), [
        str(p) for p in errors
    ]
    assert {p.file for p in errors} == {"flows/court.yaml"}
    # Step 4 and 5: update the translation file, translate; then everything is ready.
    run_cli("i18n", "update", "--root", str(project))
    _translate_everything_new(project)
    found = validate_content(project / "flows", project / "locales", ["es", "en"], config)
    assert [str(p) for p in found if p.severity == "error"] == []


def _commands() -> list[tuple[Snippet, list[str]]]:
    commands = []
    for snippet in snippets():
        if snippet.language not in ("", "sh", "bash", "shell"):
            continue
        for line in snippet.text.splitlines():
            line = line.split("#", 1)[0].split(">", 1)[0].strip()
            if line.startswith(("python ", ".venv/", "pybabel ")):
                commands.append((snippet, ["not-in-a-fresh-shell", line]))
            elif line.startswith("./helpline"):
                commands.append((snippet, shlex.split(line)[1:]))
    return commands


@pytest.mark.parametrize(("snippet", "command"), _commands(), ids=lambda v: str(v))
def test_every_command_in_the_guides_exists_as_typed(snippet: Snippet, command: list[str]) -> None:
    assert command[0] != "not-in-a-fresh-shell", (
        f"{snippet}: {command[1]!r} needs a prepared Python; write it as ./helpline ..."
    )
    run_cli(*command, "--help")


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_guides_name_no_command_that_needs_a_prepared_python(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    assert "python -m bot" not in text, "write ./helpline ... (it works in a fresh shell)"


def test_the_helpline_wrapper_runs_from_a_fresh_shell() -> None:
    """No activated virtualenv, no python on PATH beyond the system's: ``./helpline`` still runs."""
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    result = subprocess.run(
        ["./helpline", "validate"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content is ready" in result.stdout


def test_validate_before_warns_about_a_re_routed_button(project: Path, tmp_path: Path) -> None:
    """An editor compares the change with the content in service before it goes live."""
    main = project / "flows" / "main.yaml"
    text = main.read_text(encoding="utf-8")
    marker = "      - label: I am safe now\n        goto: main\n"
    assert marker in text
    main.write_text(
        text.replace(marker, marker.replace("goto: main", "id: safe\n        goto: main"))
    )
    before = tmp_path / "before"
    shutil.copytree(project / "flows", before)
    main.write_text(
        main.read_text(encoding="utf-8").replace(
            "id: safe\n        goto: main", "id: safe\n        goto: help"
        )
    )
    result = CliRunner().invoke(app, ["validate", str(project), "--before", str(before)])
    assert 'warning: node "emergency": the button "I am safe now" (id "safe") opened "main"' in (
        result.output
    )
    assert result.exit_code == 0, result.output
