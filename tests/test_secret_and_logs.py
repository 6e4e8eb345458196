"""The HMAC key file and the log redaction: the two places a person's identity could leak from
outside the database."""

from __future__ import annotations

import io
import logging
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.errors import ConfigurationError
from bot.logs import Redact, configure_logging
from bot.settings import Settings, load_or_create_secret

NAME, CHAT_ID, TYPED = "María Hernández", "987654321", "me quieren matar en Reynosa"


def test_the_key_file_is_made_once_for_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "state-secret.key"
    key = load_or_create_secret(path)
    assert len(key) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(path) == key, "the same key on every start"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "no temporary file left"


@pytest.mark.parametrize("content", [b"", b"\n", b"short"], ids=["empty", "blank", "short"])
def test_an_empty_or_truncated_key_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "state-secret.key"
    path.write_bytes(content)
    path.chmod(0o600)
    with pytest.raises(ConfigurationError, match="STATE_SECRET_FILE"):
        load_or_create_secret(path)


def test_workers_starting_together_all_read_one_complete_key(tmp_path: Path) -> None:
    for attempt in range(20):
        path = tmp_path / f"run{attempt}" / "state-secret.key"
        keys: list[bytes] = []
        start = threading.Barrier(8)

        def worker(
            path: Path = path, keys: list[bytes] = keys, start: threading.Barrier = start
        ) -> None:
            start.wait()
            keys.append(load_or_create_secret(path))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64, attempt


def test_a_key_file_others_can_read_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state-secret.key"
    path.write_bytes(os.urandom(16).hex().encode())
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        load_or_create_secret(path)
    assert any("chmod 600" in r.getMessage() for r in caplog.records)


def test_a_configured_state_secret_creates_no_file(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, state_secret="configured-Vb8Nq3Xt6Kz1Lw9Rm4Pj7Hc2Yf5Gd"
    )  # type: ignore[call-arg]
    assert settings.hmac_secret() == b"configured-Vb8Nq3Xt6Kz1Lw9Rm4Pj7Hc2Yf5Gd"
    assert not (tmp_path / "state-secret.key").exists()


@pytest.fixture
def redacted() -> Iterator[io.StringIO]:
    """A handler like the service's: plain lines through ``Redact``."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_library_log_values_are_withheld(redacted: io.StringIO) -> None:
    update = {"message": {"chat": {"id": CHAT_ID, "first_name": NAME}, "text": TYPED}}
    logging.getLogger("telegram.ext.Application").critical(
        "Error while building CallbackContext for update %s. Update will not be processed.",
        update,
    )
    logging.getLogger("telegram.request.BaseRequest").error(
        'Can not load invalid JSON data: "%s"', f'{{"first_name": "{NAME}"'
    )
    text = redacted.getvalue()
    assert "Error while building CallbackContext" in text and "withheld" in text
    for secret in (NAME, CHAT_ID, TYPED):
        assert secret not in text


def test_tracebacks_keep_their_stack_but_not_their_message(redacted: io.StringIO) -> None:
    try:
        raise ValueError(f"could not read {TYPED!r} from chat {CHAT_ID}")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    text = redacted.getvalue()
    assert "Exception in ASGI application" in text
    assert "test_secret_and_logs.py" in text and "ValueError" in text, "where it went wrong"
    assert TYPED not in text and CHAT_ID not in text


def test_our_own_messages_keep_their_values(redacted: io.StringIO) -> None:
    logging.getLogger("bot.runtime").info("helpline ready: %d nodes", 42)
    logging.getLogger("bot.runtime").warning("helpline ready: %d nodes", 42)
    assert "helpline ready: 42 nodes" in redacted.getvalue()


def test_configure_logging_redacts_on_every_handler() -> None:
    root = logging.getLogger()
    before = {handler: list(handler.filters) for handler in root.handlers}
    try:
        configure_logging("INFO")
        handlers = root.handlers
        assert handlers and all(any(isinstance(f, Redact) for f in h.filters) for h in handlers)
    finally:
        for handler, filters in before.items():
            handler.filters[:] = filters


def test_the_server_is_run_without_access_log_or_websocket_logging(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from bot import cli, logs
    from bot.settings import get_settings

    ran: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options))
    monkeypatch.setattr(logs, "configure_logging", lambda level: None)  # keep pytest's handlers
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STATE_SECRET", "run-Qe4Wz8Xk2Lm6Tv9Np3Hb7Jc1Yf5Gd0Sr")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["run"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert ran["access_log"] is False, "uvicorn's access log would write client IP addresses"
    assert ran["ws"] == "none", "uvicorn's WebSocket protocols log client IP addresses at INFO"
