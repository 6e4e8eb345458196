"""The terminal simulator, as an editor would script it: a subprocess with piped stdin."""

from __future__ import annotations

import subprocess
import sys

from bot.settings import REPO_ROOT


def chat(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        check=False,
    )


def test_scripted_spanish_conversation_presses_numbered_buttons() -> None:
    result = chat("/start\n/menu\n2\n", "--lang", "es")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "no es asesoría legal" in out
    assert "  1. 🆘 Estoy en peligro" in out  # the danger button comes first on the main menu
    assert "  2. Asilo" in out
    assert "Información revisada el 1 de diciembre de 2026." in out, (
        "pressing 2 opened the asylum topic"
    )


def test_english_and_commands() -> None:
    result = chat("/start\n/help\n/delete\n", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "general information, not legal advice" in result.stdout
    assert "/delete erases this conversation." in result.stdout
    assert "Done. I erased everything" in result.stdout


def test_without_language_asks_in_both_and_bad_numbers_are_explained() -> None:
    result = chat("/start\n9\n2\n")
    assert result.returncode == 0, result.stderr
    assert "Por favor, elija su idioma.\nPlease choose your language." in result.stdout
    assert "(no button 9; choose 1 to 2)" in result.stdout
    assert "Welcome" in result.stdout


def test_a_year_is_typed_text_not_a_button_number() -> None:
    result = chat("/start\n2025\n", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "(no button 2025" not in result.stdout
