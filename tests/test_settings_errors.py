"""Settings that cannot work stop every command with a plain explanation, never a traceback.

The person reading it is setting up a server, often from a guide: they need the variable to fix
and what is wrong with it, and the refused value must not be echoed (it may be a secret).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import REPO_ROOT

WEAK_SECRET = "our-secret-2026"


def _run(tmp_path: Path, command: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STATE_", "TELEGRAM_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", command],
        cwd=tmp_path,  # no .env of the checkout is read
        env={**clean, "DATA_DIR": str(tmp_path / "data"), **env, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_refused_settings_are_listed_by_name_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    done = _run(tmp_path, command, STATE_SECRET=WEAK_SECRET, PORT="eighty")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "2 setting(s) must be fixed" in done.stderr
    assert "- PORT: Input should be a valid integer" in done.stderr
    assert "- STATE_SECRET: STATE_SECRET" in done.stderr
    assert WEAK_SECRET not in done.stderr + done.stdout, "a refused secret is never echoed"


def test_settings_that_cannot_work_together_are_explained_too(tmp_path: Path) -> None:
    key = tmp_path / "state.key"
    key.write_bytes(b"short")
    key.chmod(0o600)
    done = _run(tmp_path, "run", STATE_SECRET_FILE=str(key), PORT="0")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("The helpline cannot start: STATE_SECRET_FILE")
