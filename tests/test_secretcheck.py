"""Weak secrets refuse to start, with a message that names the variable and says what to do."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from bot.secretcheck import weakness
from bot.settings import STRONG_SECRETS, Settings, get_settings

WEAK = {
    "one-letter": "a",
    "placeholder": "changeme-changeme-changeme-changeme",
    "the-word-secret": "my-telegram-secret-for-the-helpline-2026",
    "repeated": "Ab1_" * 10,
    "in-order": "abcdefghijklmnopqrstuvwxyz0123456789",
    "one-character": "x" * 40,
    "too-few-characters": "ab-" * 12,
}


@pytest.mark.parametrize("name", STRONG_SECRETS)
@pytest.mark.parametrize("value", WEAK.values(), ids=WEAK.keys())
def test_a_weak_secret_is_refused_with_its_name(name: str, value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None, **{name: value})  # type: ignore[arg-type]
    message = str(refused.value)
    assert name.upper() in message and "secrets.token_urlsafe(32)" in message
    assert len(value) < 3 or value not in message, "the refused value is not repeated (or logged)"


@pytest.mark.parametrize("name", STRONG_SECRETS)
def test_random_secrets_and_empty_ones_are_accepted(name: str) -> None:
    for _ in range(200):
        for value in (secrets.token_urlsafe(32), secrets.token_hex(16), secrets.token_hex(32)):
            assert weakness(name.upper(), value) is None, value
    value = secrets.token_urlsafe(32)
    assert getattr(Settings(_env_file=None, **{name: value}), name) is not None  # type: ignore[arg-type]
    assert getattr(Settings(_env_file=None, **{name: ""}), name) is None  # type: ignore[arg-type]


def test_the_service_does_not_start_with_a_weak_state_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot import cli

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STATE_SECRET", "x")
    monkeypatch.setenv("ADMIN_TOKEN", "a")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["run"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0, "it refused to start"
    assert isinstance(result.exception, ValidationError)
    text = str(result.exception)
    assert "STATE_SECRET is too short (1 characters; at least 32)" in text
    assert "ADMIN_TOKEN is too short" in text
    assert not any(tmp_path.iterdir()), "nothing was created before refusing"
