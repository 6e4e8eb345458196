"""The helpline as a real process (``python -m bot run``), for tests that kill it or run workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.settings import REPO_ROOT
from tests.conftest import BOT_TOKEN, STATE_SECRET, WEBHOOK_SECRET


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    """A running ``python -m bot run`` and where it answers."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as a crash."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM and wait (bounded shutdown), SIGKILL if it does not end."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def service_env(
    tmp_path: Path, database_url: str, telegram_url: str, **extra: str
) -> dict[str, str]:
    """The environment of a helpline with Telegram on against the fake Bot API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=database_url,
        STATE_SECRET=STATE_SECRET,
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        PUBLIC_URL="https://helpline.example.org",
        TELEGRAM_API_BASE_URL=telegram_url,
        TELEGRAM_RATE_LIMIT="0",
        CONTENT_WATCH_SECONDS="0",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


@contextmanager
def running(env: dict[str, str], log: Path, workers: int = 1) -> Iterator[Service]:
    """Start the service, wait until ``/readyz`` says ready, stop it at the end."""
    port = free_port()
    handle = log.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--port", str(port), "--workers", str(workers)],
        cwd=REPO_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    service = Service(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the service ended at start:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{service.base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the service did not get ready:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield service
    finally:
        service.stop()
        handle.close()
