"""The web chat under abuse, end to end: page views store nothing, bursts are slowed kindly,
forged cookies get a fresh session, two workers lose no turn, a database outage gets a kind
answer with the emergency numbers. Each test ends with the privacy scan."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy import text

from bot.channels.web import COOKIE
from bot.logs import configure_logging
from bot.settings import Settings
from bot.store.database import create_engine_for
from bot.store.states import ConversationKeys
from tests.conftest import STATE_SECRET, make_settings
from tests.support.databases import POSTGRES_ADMIN, fresh_postgres
from tests.support.live import serve
from tests.support.privacy import scan

SLOW = "Está enviando mensajes muy rápido. Por favor, espere un momento y vuelva a intentarlo."
CANNOT = "Perdón, ahora no podemos responder. Por favor, intente de nuevo en un minuto."
TYPED = "Me llamo Rosa Pérez y vivo en la calle Juárez 12"
ES = {"Accept-Language": "es-MX,es;q=0.9"}


def rows(url: str, table: str = "conversation_state") -> list[tuple[object, ...]]:
    async def read() -> list[tuple[object, ...]]:
        engine = create_engine_for(url)
        async with engine.connect() as connection:
            result = await connection.execute(text(f"SELECT * FROM {table}"))
            found = [tuple(row) for row in result]
        await engine.dispose()
        return found

    return asyncio.run(read())


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture
def roomy(tmp_path: Path, db_url: str) -> Iterator[tuple[str, Settings]]:
    """The web chat with limits high enough not to interfere."""
    settings = make_settings(
        tmp_path,
        db_url,
        web_session_turns_per_minute=100_000,
        web_address_requests_per_minute=100_000,
    )
    with serve(settings) as base:
        yield base, settings


def test_two_thousand_cookieless_page_views_store_nothing(
    roomy: tuple[str, Settings], logs: pytest.LogCaptureFixture
) -> None:
    base, settings = roomy
    tokens = set()
    with httpx.Client(base_url=base, headers=ES) as client:
        for _ in range(2000):
            client.cookies.clear()
            response = client.get("/")
            assert response.status_code == 200 and "Le damos la bienvenida" in response.text
            tokens.add(response.cookies[COOKIE])
    assert len(tokens) == 2000, "each browser got its own server-issued token"
    assert rows(settings.effective_database_url) == [], "no conversation was stored"
    assert rows(settings.effective_database_url, "counter") == [], "and nothing was counted"
    scan(settings, list(tokens)[:50], logs, stored_only=["127.0.0.1"])


def test_state_begins_at_the_first_real_turn_and_an_untouched_one_expires_sooner(
    roomy: tuple[str, Settings], logs: pytest.LogCaptureFixture
) -> None:
    base, settings = roomy
    url = settings.effective_database_url
    with httpx.Client(base_url=base, headers=ES) as client:
        client.get("/")
        client.get("/")
        assert rows(url) == []
        welcome = client.post("/api/chat", json={"payload": "nav:here"})
        assert welcome.status_code == 200
        [(_key, _data, _version, updated, expires)] = rows(url)
        assert _as_time(expires) - _as_time(updated) == dt.timedelta(minutes=30), (
            "a conversation still on its first screen expires after WEB_FIRST_SCREEN_TTL_MINUTES"
        )
        client.post("/api/chat", json={"payload": "nav:menu"})
        [(_key, _data, _version, updated, expires)] = rows(url)
        assert _as_time(expires) - _as_time(updated) == dt.timedelta(hours=72)
        page = client.get("/")
        assert 'value="b:main:asylum"' in page.text, "the page view shows the stored screen"
        cookie = client.cookies[COOKIE]
    scan(settings, [cookie], logs)


def _as_time(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def test_a_burst_from_one_session_is_slowed_with_a_kind_message(
    web_app: tuple[str, Settings], logs: pytest.LogCaptureFixture
) -> None:
    base, settings = web_app
    with httpx.Client(base_url=base, headers=ES) as client:
        client.get("/")
        answers = [client.post("/api/chat", json={"payload": "nav:menu"}) for _ in range(60)]
        page = client.post("/chat", data={"payload": "nav:menu"})
    statuses = [a.status_code for a in answers]
    assert statuses.count(200) == 40, "WEB_SESSION_TURNS_PER_MINUTE (40) turns went through"
    assert statuses.count(429) == 20
    limited = answers[-1]
    assert int(limited.headers["retry-after"]) >= 1
    replies = limited.json()["replies"]
    assert replies[0]["text"] == SLOW
    assert replies[0]["buttons"] == [
        {"label": "Continuar", "payload": "nav:here", "url": None, "lang": None}
    ]
    assert page.status_code == 429 and SLOW in page.text and 'value="nav:here"' in page.text, (
        "without JavaScript: a page with the kind message and a button to carry on"
    )
    scan(settings, [client.cookies[COOKIE]], logs)


def test_many_requests_from_one_address_are_slowed(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path, db_url, web_address_requests_per_minute=5)
    with serve(settings) as base, httpx.Client(base_url=base, headers=ES) as client:
        views = []
        for _ in range(7):
            client.cookies.clear()  # a new browser each time: the address is what is limited
            views.append(client.get("/"))
    assert [v.status_code for v in views] == [200] * 5 + [429] * 2
    assert SLOW in views[-1].text


def test_a_forged_or_tampered_cookie_gets_a_fresh_session(
    roomy: tuple[str, Settings], logs: pytest.LogCaptureFixture
) -> None:
    base, settings = roomy
    url = settings.effective_database_url
    chosen = "attacker-chosen-session-value-0123456789abcdef"
    with httpx.Client(base_url=base, headers=ES) as victim:
        victim.cookies.set(COOKIE, chosen)
        answer = victim.post("/api/chat", json={"payload": "nav:menu"})
        assert answer.status_code == 200
        issued = answer.cookies[COOKIE]
        assert issued != chosen, "the server replaced the chosen value with its own"
        nonce, _, signature = issued.partition(".")
        tampered = f"{nonce}.{'A' * len(signature)}"
        victim.cookies.clear()
        victim.cookies.set(COOKIE, tampered)
        again = victim.get("/")
        assert again.cookies[COOKIE] not in (tampered, issued)
        assert 'value="b:main:asylum"' not in again.text, "the tampered cookie does not reach it"
    keys = ConversationKeys(STATE_SECRET.encode())
    stored = {row[0] for row in rows(url)}
    assert stored == {keys.key("web", issued)}, "state only under the server-issued token"
    with httpx.Client(base_url=base, headers=ES) as attacker:
        attacker.cookies.set(COOKIE, chosen)
        page = attacker.get("/")
        assert 'value="b:main:asylum"' not in page.text, "the chosen value shows no conversation"
    scan(settings, [chosen, issued], logs)


def test_two_hundred_concurrent_posts_on_one_session_on_two_workers_give_no_error(
    tmp_path: Path, db_url: str, logs: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(
        tmp_path,
        db_url,
        web_session_turns_per_minute=100_000,
        web_address_requests_per_minute=100_000,
    )
    with serve(settings) as first, serve(settings) as second:
        cookie = httpx.post(f"{first}/api/chat", json={"text": "/menu"}, headers=ES).cookies[COOKIE]

        async def post_all() -> list[httpx.Response]:
            limits = httpx.Limits(max_connections=200)
            async with (
                httpx.AsyncClient(
                    cookies={COOKIE: cookie}, headers=ES, timeout=120, limits=limits
                ) as client,
            ):
                posts = [
                    client.post(
                        f"{(first, second)[i % 2]}/api/chat", json={"payload": "b:main:asylum"}
                    )
                    for i in range(200)
                ]
                return await asyncio.gather(*posts)

        answers = asyncio.run(post_all())
    statuses = [a.status_code for a in answers]
    assert statuses == [200] * 200, f"{200 - statuses.count(200)} of 200 posts failed"
    texts = [r["text"] for a in answers for r in a.json()["replies"]]
    assert not any(CANNOT in t for t in texts), "no person was told to try again"
    assert all(a.json()["replies"] for a in answers)
    scan(settings, [cookie], logs)


@pytest.mark.postgres
def test_a_database_outage_gets_a_kind_answer_with_the_emergency_numbers(
    tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    with fresh_postgres() as url:
        settings = make_settings(tmp_path, url)
        name = url.rsplit("/", 1)[1]
        with serve(settings) as base, httpx.Client(base_url=base, headers=ES) as client:
            assert client.post("/api/chat", json={"text": TYPED}).status_code == 200
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            answer = client.post("/api/chat", json={"payload": "nav:menu"})
            page = client.get("/")
            form = client.post("/chat", data={"payload": "nav:menu"})
        assert answer.status_code == 503
        [reply] = answer.json()["replies"]
        assert reply["text"].startswith(CANNOT)
        assert "911" in reply["text"] and "988" in reply["text"]
        assert "llame o mande un mensaje de texto al 988" in reply["text"]
        for html in (page, form):
            assert html.status_code == 503 and "ahora no podemos responder" in html.text
            assert 'href="tel:911"' in html.text and 'href="tel:988"' in html.text
    scan(settings, [TYPED, "Rosa", "Juárez"], logs, tables=False)


@pytest.fixture
def redis_url() -> str:
    """The Redis server on 127.0.0.1:6379, or a skip saying why."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:  # noqa: BLE001 - any failure means "not here"
        pytest.skip("no Redis server answers on 127.0.0.1:6379 (REDIS_URL tests need one)")
    return url


def test_two_workers_share_one_limit_through_redis(
    tmp_path: Path, redis_url: str, logs: pytest.LogCaptureFixture
) -> None:
    import redis

    settings = make_settings(
        tmp_path,
        f"sqlite:///{tmp_path / 'helpline.db'}",
        redis_url=redis_url,
        state_secret="redis-" + secrets.token_urlsafe(32),  # fresh limiter keys for this run
    )
    with (
        serve(settings) as first,
        serve(settings) as second,
        httpx.Client(headers=ES) as client,
    ):
        client.get(f"{first}/")
        statuses = [
            client.post(f"{(first, second)[i % 2]}/api/chat", json={"payload": "nav:menu"})
            for i in range(50)
        ]
    assert [s.status_code for s in statuses].count(200) == 40, "one limit for both workers"
    keys = [k.decode() for k in redis.Redis.from_url(redis_url).keys("helpline:rl:*")]
    assert keys and all("127.0.0.1" not in k for k in keys), "addresses only as hashes"
    assert all(redis.Redis.from_url(redis_url).pttl(k) > 0 for k in keys), "every key expires"
    scan(settings, [client.cookies[COOKIE]], logs, stored_only=["127.0.0.1"])
