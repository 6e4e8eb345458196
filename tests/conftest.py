"""Shared fixtures: settings on a temporary data folder, the fake Bot API, the live app."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine.model import Flows
from bot.i18n.catalogs import BabelLocalizer
from bot.settings import REPO_ROOT, Settings
from tests.support.databases import database_url
from tests.support.fake_telegram import FakeTelegram, start_fake_telegram
from tests.support.live import serve
from tests.support.project import real_flows, real_localizer

WEBHOOK_SECRET = "tg-hook_7Qm2vX9LpR4sK8wN3bZ6yT1cF5hJ0dGa"
"""Random-looking: the service refuses weak secrets (``bot.secretcheck``)."""
STATE_SECRET = "state-Hk3Wq9Zp2Lm7Xv4Rt8Nc6Bj1Yf5Gd0Sa"
ADMIN_TOKEN = "admin-Pw7Kx2Qz9Lv4Mr8Tn3Cb6Jy1Hf5Gd0Se"
BOT_TOKEN = "123456:TEST-token"


@pytest.fixture(autouse=True)
def _unfrozen_heap() -> Iterator[None]:
    """A test that settles the heap (``bot.heap``: the warm-up and the reloader do) must not
    keep what every later test leaves alive out of the collector's reach."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def make_settings(
    tmp_path: Path, url: str, telegram: FakeTelegram | None = None, **extra: object
) -> Settings:
    """Settings isolated in ``tmp_path``; Telegram on when a fake server is given."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "database_url": url,
        "flows_dir": Path(os.environ.get("FLOWS_DIR", REPO_ROOT / "flows")),
        "locales_dir": Path(os.environ.get("LOCALES_DIR", REPO_ROOT / "locales")),
        "state_secret": STATE_SECRET,
        # Tests that type text expect the trained classifier's answers from the first turn; the
        # service's default (training after the port is open) has its own tests in
        # tests/test_start_in_background.py, which turn it back on.
        "nlu_train_in_background": False,
    }
    if telegram is not None:
        values.update(
            telegram_bot_token=BOT_TOKEN,
            telegram_webhook_secret=WEBHOOK_SECRET,
            public_url="https://helpline.example.org",
            telegram_api_base_url=telegram.url,
        )
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def flows() -> Flows:
    """The real content (``flows/``); it must load without errors. A test folder may override it."""
    return real_flows()


@pytest.fixture(scope="module")
def localizer() -> BabelLocalizer:
    """The real catalogs, Spanish and English."""
    return real_localizer()


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A fresh fake Bot API server."""
    fake = start_fake_telegram()
    yield fake
    assert fake.server is not None
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each end-to-end test runs on SQLite and, where a server answers, PostgreSQL."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test."""
    with database_url(backend, tmp_path) as url:
        yield url


@pytest.fixture
def telegram_app(
    tmp_path: Path, db_url: str, fake_telegram: FakeTelegram
) -> Iterator[tuple[str, Settings]]:
    """The whole helpline with Telegram on, served on 127.0.0.1; yields (base URL, settings)."""
    settings = make_settings(tmp_path, db_url, fake_telegram)
    with serve(settings) as base:
        yield base, settings


@pytest.fixture
def web_app(tmp_path: Path, db_url: str) -> Iterator[tuple[str, Settings]]:
    """The helpline on its defaults (no Telegram), served on 127.0.0.1."""
    settings = make_settings(tmp_path, db_url)
    with serve(settings) as base:
        yield base, settings


_postgres_outcomes: dict[str, int] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count how the PostgreSQL-marked tests ended, for the summary below."""
    if "postgres" in report.keywords and (report.when == "call" or report.skipped):
        _postgres_outcomes[report.outcome] = _postgres_outcomes.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say in one line whether the PostgreSQL tests really ran."""
    if not _postgres_outcomes:
        return
    ran = _postgres_outcomes.get("passed", 0) + _postgres_outcomes.get("failed", 0)
    skipped = _postgres_outcomes.get("skipped", 0)
    where = "127.0.0.1:5432"
    if ran:
        terminalreporter.write_line(
            f"PostgreSQL tests: {ran} ran against {where}, {skipped} skipped"
        )
    else:
        terminalreporter.write_line(
            f"PostgreSQL tests: none ran ({skipped} skipped: no server at {where})"
        )
