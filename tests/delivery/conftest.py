"""Fixtures for delivery tests: the helpline sending through the Bot API (no webhook replies),
quick timeouts, and direct reads of what the database holds."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from bot.store.database import create_engine_for
from bot.store.models import ConversationRow, CounterRow, DeliveryRow
from tests.conftest import make_settings
from tests.support.fake_telegram import FakeTelegram
from tests.support.live import serve


@pytest.fixture
def api_app(
    tmp_path: Path, db_url: str, fake_telegram: FakeTelegram
) -> Iterator[tuple[str, Settings]]:
    """The helpline with every message sent through the Bot API (``TELEGRAM_REPLY_IN_WEBHOOK``
    off), 1-second Bot API timeouts and no rate limit: faults of the API are all visible."""
    settings = make_settings(
        tmp_path,
        db_url,
        fake_telegram,
        telegram_reply_in_webhook=False,
        telegram_timeout_seconds=1.0,
        telegram_rate_limit=0,
    )
    with serve(settings) as base:
        yield base, settings


async def _read(url: str) -> dict[str, Any]:
    engine = create_engine_for(url)
    async with engine.connect() as connection:
        conversations = (
            await connection.execute(select(func.count()).select_from(ConversationRow))
        ).scalar_one()
        versions = [row[0] for row in await connection.execute(select(ConversationRow.version))]
        marks = [
            (row.update_id, row.sent, row.outbox is not None)
            for row in await connection.execute(select(DeliveryRow))
        ]
        counted = (
            await connection.execute(select(func.coalesce(func.sum(CounterRow.count), 0)))
        ).scalar_one()
    await engine.dispose()
    return {
        "conversations": int(conversations),
        "versions": versions,
        "marks": marks,
        "counted": int(counted),
    }


def database_view(url: str) -> dict[str, Any]:
    """Conversations stored, their versions, dedupe marks (id, sent, outbox kept?), counters."""
    return asyncio.run(_read(url))
