"""The press acknowledgement's own client: a failure is one short line that names its kind and
never the token (it is in the URL), and a proxy is taken from the environment as httpx takes it."""

from __future__ import annotations

import logging
import socket

import pytest

from bot.channels.telegram_ack import CallbackAcks, env_proxy

TOKEN = "123456:SECRET-token-never-logged"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_an_unreachable_bot_api_is_one_short_line_without_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    acks = CallbackAcks.for_bot_api(
        f"http://127.0.0.1:{_closed_port()}",
        TOKEN,
        timeout=1.0,
        connect_timeout=1.0,
        pool_timeout=1.0,
        pool_size=2,
    )
    acks.open()
    with caplog.at_level(logging.INFO, logger="bot.channels.telegram_ack"):
        await acks.answer("42")
    await acks.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.channels.telegram_ack"]
    assert lines == ["callback query not acknowledged (ClientConnectorError)"]
    assert "SECRET" not in caplog.text


def test_the_proxy_comes_from_the_environment_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    assert env_proxy("https://api.telegram.org/botX/answerCallbackQuery") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "bot-api.internal")
    assert env_proxy("https://api.telegram.org/botX/m") == "http://proxy.example:3128"
    assert env_proxy("https://bot-api.internal/botX/m") is None, "NO_PROXY covers this host"
    assert env_proxy("http://api.telegram.org/botX/m") is None, "no proxy named for http"
