"""Admin pages and /metrics on a small app that includes only the admin router.

Counters are in memory and content is a copy of the tiny valid fixture, so every number on the
pages is known. The end-to-end version through ``create_app`` is in ``test_admin_app.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.admin import DropOff, admin_router, drop_off
from bot.content import ContentHolder
from bot.settings import Settings
from bot.store.counters import MemoryCounters

VALID = Path(__file__).resolve().parent.parent / "data" / "tooling" / "valid"
TOKEN = "admin-token-for-tests-0123456789"
DAY = dt.date(2026, 11, 20)


@dataclass
class Parts:
    counters: MemoryCounters
    content: ContentHolder


@pytest.fixture
async def parts(content: Path) -> Parts:
    counters = MemoryCounters()
    for node, count in {"welcome": 10, "main": 8, "asylum": 2}.items():
        await counters.add(DAY, "web", "es", node, count)
    await counters.add(DAY + dt.timedelta(days=1), "telegram", "en", "main", 3)
    return Parts(counters, ContentHolder(content / "flows", content / "locales", ["en"]))


def make_client(parts: Parts, **settings: object) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(admin_router(Settings(_env_file=None, **settings), lambda request: parts))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://admin.test")


@pytest.fixture
async def client(parts: Parts) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(parts, admin_token=TOKEN) as client:
        yield client


BEARER = {"Authorization": f"Bearer {TOKEN}"}


# -- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin"),
        ("GET", "/admin/stats"),
        ("GET", "/admin/stats.csv"),
        ("GET", "/admin/diagram"),
        ("POST", "/admin/reload"),
    ],
)
async def test_admin_pages_do_not_exist_without_a_configured_token(
    parts: Parts, method: str, path: str
) -> None:
    async with make_client(parts) as client:
        response = await client.request(method, path, headers={"Authorization": "Bearer anything"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/stats"),
        ("GET", "/admin/stats.csv"),
        ("GET", "/admin/diagram"),
        ("POST", "/admin/reload"),
    ],
)
async def test_admin_pages_refuse_a_missing_or_wrong_token(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    missing = await client.request(method, path)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = await client.request(method, path, headers={"Authorization": f"Bearer {TOKEN}x"})
    assert wrong.status_code == 401
    wrong_query = await client.request(method, path, params={"token": TOKEN[:-1]})
    assert wrong_query.status_code == 401


async def test_token_in_header_or_address(client: httpx.AsyncClient) -> None:
    by_header = await client.get("/admin/stats", headers=BEARER)
    assert by_header.status_code == 200
    assert by_header.headers["cache-control"] == "no-store"
    assert 'href="/admin/stats.csv"' in by_header.text
    by_query = await client.get("/admin/stats", params={"token": TOKEN})
    assert by_query.status_code == 200
    assert f'href="/admin/stats.csv?token={TOKEN}"' in by_query.text


# -- statistics -----------------------------------------------------------------------------------


async def test_stats_page_shows_counts_per_screen_language_channel_and_day(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/admin/stats", headers=BEARER)).text
    assert "23 screens shown in all." in page
    assert '<tr><td>main</td><td>Main menu</td>\n<td class="n">11</td>' in page
    assert '<tr><td>es</td><td class="n">20</td></tr>' in page
    assert '<tr><td>telegram</td><td class="n">3</td></tr>' in page
    assert '<tr><td>2026-11-21</td><td class="n">3</td></tr>' in page
    assert '<td>2026-11-20</td><td>web</td><td>es</td>\n<td>asylum</td><td class="n">2</td>' in page
    assert "end of a path" in page  # asylum has no next screen


async def test_csv_has_one_row_per_counter_and_nothing_else(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/stats.csv", headers=BEARER)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="helpline-counters-'
    )
    assert response.text == (
        "day,channel,locale,node,count\n"
        "2026-11-20,web,es,asylum,2\n"
        "2026-11-20,web,es,main,8\n"
        "2026-11-20,web,es,welcome,10\n"
        "2026-11-21,telegram,en,main,3\n"
    )


def test_drop_off_shares_next_screens_among_the_screens_that_lead_there(parts: Parts) -> None:
    flows = parts.content.current.flows
    rows = drop_off({"welcome": 10, "main": 8, "asylum": 2, "removed_screen": 1}, flows)
    assert rows == [
        DropOff("welcome", 10, 8.0),
        DropOff("main", 8, 2.0),
        DropOff("asylum", 2, None),
        DropOff("removed_screen", 1, None),
    ]
    assert [r.rate for r in rows] == [pytest.approx(0.2), pytest.approx(0.75), None, None]


# -- metrics --------------------------------------------------------------------------------------


async def test_metrics_are_public_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert 'helpline_screen_views_total{channel="web",locale="es",node="main"} 8.0' in lines
    assert 'helpline_screen_views_total{channel="telegram",locale="en",node="main"} 3.0' in lines
    assert "helpline_content_nodes 3.0" in lines
    assert "helpline_content_languages 1.0" in lines


async def test_metrics_token_protects_metrics(parts: Parts) -> None:
    async with make_client(parts, metrics_token="metrics-secret-123") as client:
        assert (await client.get("/metrics")).status_code == 401
        assert (
            await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        ).status_code == 401
        allowed = await client.get(
            "/metrics", headers={"Authorization": "Bearer metrics-secret-123"}
        )
    assert allowed.status_code == 200
    assert "helpline_screen_views_total" in allowed.text


# -- diagram and reload ---------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz is not installed; use --format mermaid"
)
async def test_diagram_page_shows_svg_with_graphviz(client: httpx.AsyncClient) -> None:
    page = await client.get("/admin/diagram", headers=BEARER)
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "<pre>" not in page.text


async def test_diagram_page_falls_back_to_mermaid(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    page = await client.get("/admin/diagram", headers=BEARER)
    assert page.status_code == 200
    assert "<pre>flowchart LR\n" in page.text
    assert "n_welcome[&#34;welcome&lt;br/&gt;Welcome&#34;]" in page.text


async def test_reload_swaps_good_content_and_refuses_broken(
    client: httpx.AsyncClient, parts: Parts, content: Path
) -> None:
    path = content / "flows" / "main.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n  - id: later\n    title: Later\n    keywords: {en: [later]}\n")
    good = await client.post("/admin/reload", headers=BEARER)
    assert good.status_code == 200
    assert good.json() == {"reloaded": True, "nodes": 4, "languages": ["en"]}
    served = parts.content.current
    with path.open("a", encoding="utf-8") as handle:
        handle.write("  - id: later\n    title: Twice\n")
    refused = await client.post("/admin/reload", headers=BEARER)
    assert refused.status_code == 422
    assert refused.json()["reloaded"] is False
    assert refused.json()["problems"] == [
        'flows/main.yaml:29: node "later": duplicate node id (first defined at flows/main.yaml:26)'
    ]
    assert parts.content.current is served
