"""End to end through ``create_app``: a scripted web-chat conversation, then the statistics.

The CSV and ``/metrics`` must count the screens shown and contain nothing about the person: not
the session cookie, not what they typed. The admin page refuses without the token.
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

TOKEN = "end-to-end-admin-token-0123456789"
TYPED = "my name is Rosa Perez and my number is 555-0100"


def with_admin(app: FastAPI, settings: Settings) -> FastAPI:
    """The app with the admin router, unless the app already includes it."""
    if not any(getattr(route, "path", None) == "/admin/stats" for route in app.routes):
        app.include_router(admin_router(settings))
    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app, its lifespan running, behind an in-process HTTP client."""
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'helpline.db'}", admin_token=TOKEN)
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
    rows = [line.split(",") for line in csv_text.strip().splitlines()]
    assert rows[0] == ["day", "channel", "locale", "node", "count"]
    counted = {(r[1], r[2], r[3]): int(r[4]) for r in rows[1:]}
    assert counted[("web", "es", "welcome")] >= 1
    assert sum(counted.values()) == 3
    metrics = (await client.get("/metrics")).text
    assert 'helpline_screen_views_total{channel="web",locale="es",node="welcome"}' in metrics
    page = (await client.get("/admin/stats", headers=auth)).text
    for text in (csv_text, metrics, page):
        assert session not in text
        assert "Rosa" not in text
        assert "555-0100" not in text
