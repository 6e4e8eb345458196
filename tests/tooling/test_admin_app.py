"""End to end through ``create_app``: a scripted web-chat conversation, then the statistics.

The screens shown are counted, and the CSV and ``/metrics`` contain nothing about the person:
not the session cookie, not what they typed, and not even today's counts (only closed days are
shown, so nobody can follow this conversation). The admin page refuses without the token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.admin import admin_router
from bot.app import create_app
from bot.channels.web import COOKIE
from bot.settings import Settings
from tests.conftest import make_settings

TOKEN = "end-to-end-admin-Kq7Wz3Xv9Lm2Rt8Np4Hb6Jc1"
METRICS = "end-to-end-metrics-Tz4Qw8Xk2Lm6Vn9Rp3Hb7Jc5"
TYPED = "my name is Rosa Perez and my number is 555-0100"


def with_admin(app: FastAPI, settings: Settings) -> FastAPI:
    """The app with the admin router, unless the app already includes it."""
    if not any(getattr(route, "path", None) == "/admin/stats" for route in app.routes):
        app.include_router(admin_router(settings))
    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app, its lifespan running, behind an in-process HTTP client."""
    settings = make_settings(
        tmp_path, f"sqlite:///{tmp_path / 'helpline.db'}", admin_token=TOKEN, metrics_token=METRICS
    )
    app = with_admin(create_app(settings), settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://helpline.test"
        ) as client,
    ):
        yield client


async def test_a_web_conversation_is_counted_without_identity(client: httpx.AsyncClient) -> None:
    headers = {"Accept-Language": "es-MX"}
    first = await client.post("/api/chat", json={"text": "/start"}, headers=headers)
    assert first.status_code == 200
    session = client.cookies[COOKIE]
    assert first.json()["locale"] == "es"
    buttons = first.json()["replies"][-1]["buttons"]
    menu = next(
        b["payload"] for b in buttons if b["payload"] and b["payload"].startswith("b:welcome:")
    )
    second = await client.post("/api/chat", json={"payload": menu}, headers=headers)
    assert second.status_code == 200
    await client.post("/api/chat", json={"text": TYPED}, headers=headers)

    refused = await client.get("/admin/stats")
    assert refused.status_code == 401
    assert (await client.get("/admin/stats.csv", params={"token": "wrong"})).status_code == 401

    auth = {"Authorization": f"Bearer {TOKEN}"}
    csv_text = (await client.get("/admin/stats.csv", headers=auth)).text
    assert csv_text == "day,channel,locale,node,count\n", "today is shown once it has ended"
    runtime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    counted = {key[1:]: n for key, n in await runtime.counters.all()}
    assert counted[("web", "es", "welcome")] >= 1
    assert sum(counted.values()) == 3, "every screen shown was counted"
    assert (await client.get("/metrics")).status_code == 401
    metrics = (await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS}"})).text
    assert "helpline_content_nodes" in metrics
    assert 'node="welcome"' not in metrics, "today's counters are not in the scrape"
    page = (await client.get("/admin/stats", headers=auth)).text
    for text in (csv_text, metrics, page):
        assert session not in text
        assert "Rosa" not in text
        assert "555-0100" not in text
