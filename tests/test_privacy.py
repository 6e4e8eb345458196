"""No identities anywhere: after a scripted Telegram conversation, search every table, the
database files themselves and every log line for the person's id, names, username, phone and
what they typed."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from bot.logs import configure_logging
from bot.settings import Settings
from bot.store.database import create_engine_for
from tests.conftest import WEBHOOK_SECRET
from tests.support import updates
from tests.support.fake_telegram import FakeTelegram, post_update

TYPED = "Me llamo María Hernández y mi número es +5215512345678"
IDENTITIES = [
    str(updates.USER_ID),
    updates.USERNAME,
    updates.FIRST_NAME,
    "Maria",
    updates.LAST_NAME,
    "Hernandez",
    updates.PHONE,
    updates.PHONE.lstrip("+"),
    "5512345678",
    TYPED,
    "Me llamo",
]


def scan_for_identities(
    settings: Settings, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """Search every table, every database file and every log line for the person."""
    rows = asyncio.run(dump_tables(settings.effective_database_url))
    assert any(len(v) == 64 for v in rows), "the conversation state was stored, under its HMAC key"
    logs = [record.getMessage() for record in caplog.records] + caplog.text.splitlines()
    captured = capfd.readouterr()
    streams = captured.out + captured.err
    files = b"".join(p.read_bytes() for p in Path(settings.data_dir).rglob("*") if p.is_file())
    for identity in IDENTITIES:
        assert not any(identity in value for value in rows), f"{identity!r} stored in the database"
        assert not any(identity in line for line in logs), f"{identity!r} in a log line"
        assert identity not in streams, f"{identity!r} printed"
        assert identity.encode() not in files, f"{identity!r} in a database file"
    assert logs, "the logs were captured (the search above searched something)"


async def dump_tables(url: str) -> list[str]:
    """Every value of every row of every table, as text."""
    engine = create_engine_for(url)
    metadata = MetaData()
    async with engine.connect() as connection:
        await connection.run_sync(metadata.reflect)
        values: list[str] = []
        for table in metadata.sorted_tables:
            rows = await connection.execute(select(table))
            for row in rows:
                values.extend(str(v) for v in row)
    await engine.dispose()
    return values


def test_no_identity_in_any_table_file_or_log(
    telegram_app: tuple[str, Settings],
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    base, settings = telegram_app
    configure_logging("DEBUG")
    # dictConfig replaces the root logger's handlers, caplog's among them: put it back, unfiltered,
    # so the search below sees every record as logged (before any redaction).
    logging.getLogger().addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    script = [
        updates.text("/start", "es-MX"),
        updates.button("b:welcome:emergency"),
        updates.text(TYPED, "es-MX"),
        updates.contact("es-MX"),
        updates.button("nav:menu"),
        updates.button("b:main:asylum"),
        updates.sticker(),
        updates.edited("Hernández", "es-MX"),
        updates.button("b:vanished:1"),
    ]
    for update in script:
        before = len(fake_telegram.sent())
        assert post_update(base, fake_telegram, update, WEBHOOK_SECRET).status_code == 200
        assert len(fake_telegram.sent()) > before, "answered before the webhook responded"
    assert all(int(c.params["chat_id"]) == updates.USER_ID for c in fake_telegram.sent()), (
        "answers reached the person"
    )

    scan_for_identities(settings, caplog, capfd)
