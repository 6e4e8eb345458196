"""``.env.example`` is the README's settings table, generated, and names every setting."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli import app
from bot.env_example import env_example, readme_settings
from bot.settings import REPO_ROOT, Settings

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = REPO_ROOT / ".env.example"


def test_the_file_is_up_to_date_with_the_readme() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") == env_example(README), (
        "run ./helpline settings example > .env.example"
    )


def test_it_names_exactly_the_settings_the_service_reads() -> None:
    names = {s.name for s in readme_settings(README)}
    assert names == {name.upper() for name in Settings.model_fields}


def test_every_line_is_commented_out_and_values_are_the_defaults() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert all(line == "" or line.startswith("#") for line in text.splitlines())
    assert "# PORT=8000\n" in text and "# LEGAL_AID_HIDE_DAYS=365\n" in text
    assert "# STATE_SECRET=\n" in text
    assert "(default: DATA_DIR/state-secret.key)\n# STATE_SECRET_FILE=\n" in text


def test_the_command_prints_the_file() -> None:
    result = CliRunner().invoke(app, ["settings", "example"])
    assert result.exit_code == 0
    assert result.output == EXAMPLE.read_text(encoding="utf-8")
