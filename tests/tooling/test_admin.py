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
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI

from bot.admin import DropOff, admin_router, drop_off, published
from bot.admin_access import ADMIN_COOKIE
from bot.content import ContentHolder
from bot.ratelimit import MemoryLimiter, RateLimits
from bot.settings import Settings
from bot.store.counters import MemoryCounters

VALID = Path(__file__).resolve().parent.parent / "data" / "tooling" / "valid"
TOKEN = "admin-Pw7Kx2Qz9Lv4Mr8Tn3Cb6Jy1Hf5Gd0Se"
METRICS = "metrics-Zr5Tq8Wm3Kx7Lp2Vn9Hc4Bj6Yf1Gd0Sd"
DAY = dt.date(2026, 11, 20)
TODAY = dt.date(2026, 12, 1)


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


class Clock:
    """A clock the test moves by hand, for the growing delays."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_client(parts: Parts, clock: Clock | None = None, **settings: object) -> httpx.AsyncClient:
    """The admin router alone; counters of closed days, shown from 1 (unless a test says)."""
    settings.setdefault("stats_min_count", 1)
    configured = Settings(_env_file=None, **settings)  # type: ignore[arg-type]
    app = FastAPI()
    limits = RateLimits.from_settings(configured, b"k" * 32)
    limits.store = MemoryLimiter(clock=clock or Clock())
    app.state.runtime = SimpleNamespace(limits=limits)
    router = admin_router(
        configured,
        lambda request: parts,  # type: ignore[arg-type,return-value]
        today=lambda: TODAY,
    )
    app.include_router(router)
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
    assert wrong.headers["retry-after"] == "1", "the next attempt waits a second"


async def test_the_token_is_taken_from_a_header_never_from_the_address(
    client: httpx.AsyncClient,
) -> None:
    by_query = await client.get("/admin/stats", params={"token": TOKEN})
    assert by_query.status_code == 401, "?token= is not a way in (it stays in logs and history)"
    by_header = await client.get("/admin/stats", headers=BEARER)
    assert by_header.status_code == 200
    assert by_header.headers["cache-control"] == "no-store"
    assert 'href="/admin/stats.csv"' in by_header.text
    assert TOKEN not in by_header.text


async def test_the_login_form_sets_an_httponly_cookie_that_does_not_hold_the_token(
    client: httpx.AsyncClient,
) -> None:
    form = await client.get("/admin/login")
    assert form.status_code == 200 and 'type="password" name="token"' in form.text
    assert 'action="/admin/login"' in form.text and "?token" not in form.text
    logged_in = await client.post("/admin/login", data={"token": TOKEN})
    assert logged_in.status_code == 303 and logged_in.headers["location"] == "/admin/stats"
    cookie = logged_in.headers["set-cookie"]
    assert cookie.startswith(f"{ADMIN_COOKIE}=") and TOKEN not in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/admin" in cookie
    page = await client.get("/admin/stats")
    assert page.status_code == 200 and "screens shown in all" in page.text
    assert (await client.get("/admin/stats.csv")).status_code == 200
    out = await client.post("/admin/logout")
    assert out.status_code == 303 and f'{ADMIN_COOKIE}=""' in out.headers["set-cookie"]
    client.cookies.clear()
    client.cookies.set(ADMIN_COOKIE, "9999999999.forged", path="/admin")
    assert (await client.get("/admin/stats")).status_code == 401, "a forged cookie is refused"


async def test_a_wrong_login_shows_the_form_again(client: httpx.AsyncClient) -> None:
    wrong = await client.post("/admin/login", data={"token": "guess"})
    assert wrong.status_code == 401 and "wrong token" in wrong.text
    assert 'name="token"' in wrong.text and "set-cookie" not in wrong.headers


async def test_wrong_guesses_make_the_address_wait_longer_each_time(parts: Parts) -> None:
    clock = Clock()
    wrong = {"Authorization": "Bearer not-the-token"}
    async with make_client(parts, clock, admin_token=TOKEN) as client:
        waits = []
        for _ in range(5):
            first = await client.get("/admin/stats", headers=wrong)
            assert first.status_code == 401
            waits.append(int(first.headers["retry-after"]))
            burst = [await client.get("/admin/stats", headers=BEARER) for _ in range(50)]
            assert {b.status_code for b in burst} == {429}, "even the right token waits"
            clock.now += waits[-1] + 0.1
        assert waits == [1, 2, 4, 8, 16]
        assert (await client.get("/admin/stats", headers=BEARER)).status_code == 200
        again = await client.get("/admin/stats", headers=wrong)
        assert again.headers["retry-after"] == "1", "a good login forgets the failures"
        clock.now += 1.1
        for _ in range(200):
            await client.get("/admin/stats", headers=wrong)
            clock.now += 0.01
        assert clock.now < 1000 + 60, "the probe took a simulated minute or less"
    # 5,000 guesses at 289 a second used to go through; now 1 per delay, growing


async def test_admin_requests_from_one_address_are_limited(parts: Parts) -> None:
    async with make_client(parts, admin_token=TOKEN, admin_address_requests_per_minute=5) as c:
        statuses = [(await c.get("/admin/stats", headers=BEARER)).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2


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


async def test_metrics_are_off_without_a_metrics_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/metrics")).status_code == 404
    assert (await client.get("/metrics", headers=BEARER)).status_code == 404


async def test_metrics_show_closed_days_to_the_metrics_token(parts: Parts) -> None:
    async with make_client(parts, metrics_token=METRICS) as client:
        response = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert 'helpline_screen_views_total{channel="web",locale="es",node="main"} 8.0' in lines
    assert 'helpline_screen_views_total{channel="telegram",locale="en",node="main"} 3.0' in lines
    assert "helpline_content_nodes 3.0" in lines
    assert "helpline_content_languages 1.0" in lines


async def test_metrics_token_protects_metrics(parts: Parts) -> None:
    clock = Clock()
    async with make_client(parts, clock, metrics_token=METRICS) as client:
        assert (await client.get("/metrics")).status_code == 401
        assert (
            await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        ).status_code == 401
        clock.now += 1.1
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS}"})
    assert allowed.status_code == 200
    assert "helpline_screen_views_total" in allowed.text


# -- diagram and reload ---------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz is not installed; use --format mermaid"
)
async def test_diagram_page_shows_svg_with_graphviz(client: httpx.AsyncClient) -> None:
    page = await client.get("/admin/diagram", headers=BEARER)
    assert page.status_code == 200
    assert '<section id="flow-main">' in page.text
    assert page.text.count("<svg") == 2, "our narrow drawing and Graphviz's wide one"
    assert "Graphviz drawing (wide: scroll sideways)" in page.text
    assert "<pre>" not in page.text


async def test_diagram_page_draws_without_graphviz_or_any_script(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    page = await client.get("/admin/diagram", headers=BEARER)
    assert page.status_code == 200
    assert page.text.count("<svg") == 1 and "<pre>" not in page.text
    assert "<script" not in page.text and "src=" not in page.text, "nothing from a CDN"
    assert ">welcome</text>" in page.text and ">Welcome</text>" in page.text
    assert "Graphviz is not installed on the server" in page.text


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


# -- what the statistics may show -----------------------------------------------------------------


async def test_today_and_small_counts_are_held_back(parts: Parts) -> None:
    for node in ("welcome", "emergency", "_erased"):
        await parts.counters.add(TODAY, "web", "es", node, 1)  # one person, right now
    metrics = {"Authorization": f"Bearer {METRICS}"}
    async with make_client(
        parts, admin_token=TOKEN, metrics_token=METRICS, stats_min_count=10
    ) as client:
        csv_text = (await client.get("/admin/stats.csv", headers=BEARER)).text
        page = (await client.get("/admin/stats", headers=BEARER)).text
        scrape = (await client.get("/metrics", headers=metrics)).text
        await parts.counters.add(TODAY, "web", "es", "emergency", 50)
        later = (await client.get("/metrics", headers=metrics)).text
    assert csv_text == "day,channel,locale,node,count\n2026-11-20,web,es,welcome,10\n"
    assert "2026-12-01" not in page and "10 screens shown in all." in page
    assert "emergency" not in scrape and "_erased" not in scrape
    assert later == scrape, "a scrape never moves during the day: no path can be followed"
    assert 'node="main"' not in scrape, "a closed day's counter below 10 is left out"


def test_published_keeps_closed_days_at_or_above_the_threshold() -> None:
    yesterday, today = dt.date(2026, 11, 30), dt.date(2026, 12, 1)
    rows = [
        ((yesterday, "web", "es", "main"), 12),
        ((yesterday, "web", "es", "asylum"), 3),
        ((today, "web", "es", "main"), 40),
    ]
    assert published(rows, today, 10) == [((yesterday, "web", "es", "main"), 12)]
