"""The webhook's route: first in the router, a plain route that refuses other methods like the
rest, and the client address read the same way without parsing IPv4 on every update."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.requests import Request
from starlette.routing import Route

from bot.app import create_app
from bot.channels.telegram_updates import WEBHOOK_PATH
from bot.ratelimit import client_address
from tests.conftest import make_settings


async def test_the_webhook_is_matched_first_and_refuses_other_methods(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'h.db'}"))
    first = app.router.routes[0]
    assert isinstance(first, Route) and first.path == WEBHOOK_PATH, (
        "every route before it would be matched against each update's path"
    )
    assert first.methods == {"POST"}
    transport = httpx.ASGITransport(app=app)  # no lifespan: refused before any handler runs
    async with httpx.AsyncClient(transport=transport, base_url="http://helpline.test") as client:
        response = await client.get(WEBHOOK_PATH)
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}
    assert response.headers["x-content-type-options"] == "nosniff", "security headers as on all"


def _address(host: str | None) -> str:
    scope = {"type": "http", "headers": [], "client": None if host is None else (host, 443)}
    return client_address(Request(scope))


def test_client_addresses_are_read_as_before() -> None:
    assert _address("149.154.167.220") == "149.154.167.220"
    assert _address("127.0.0.1") == "127.0.0.1"
    assert _address("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64", "IPv6: one household"
    assert _address("::1") == "::/64"
    assert _address("testclient") == "testclient"
    assert _address("") == "unknown"
    assert _address(None) == "unknown"
