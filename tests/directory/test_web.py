"""The legal-aid flow end to end in the web chat: real HTTP to the real app, on SQLite and (when a
server answers) PostgreSQL, in both languages. Afterwards the database holds the results counter
and the state code, never what the person typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from bot.settings import Settings
from bot.store.database import sync_url

Replies = list[dict[str, object]]


@pytest.fixture
def client(web_app: tuple[str, Settings]) -> Iterator[httpx.Client]:
    base, _ = web_app
    with httpx.Client(base_url=base, timeout=20) as client:
        yield client


def api(client: httpx.Client, **body: str) -> Replies:
    response = client.post("/api/chat", json=body)
    assert response.status_code == 200, response.text
    replies = response.json()["replies"]
    assert isinstance(replies, list)
    return replies


def press(client: httpx.Client, replies: Replies, label: str) -> Replies:
    buttons = {str(b["label"]): str(b["payload"]) for r in replies for b in r["buttons"]}  # type: ignore[attr-defined]
    assert label in buttons, f"no button {label!r} in {list(buttons)}"
    return api(client, payload=buttons[label])


def joined(replies: Replies) -> str:
    return "\n".join(str(r["text"]) for r in replies)


def test_spanish_web_chat_finds_help_from_a_typed_state(
    client: httpx.Client, web_app: tuple[str, Settings]
) -> None:
    _, settings = web_app
    client.headers["Accept-Language"] = "es-MX"  # a browser sends it every time
    client.get("/")
    replies = api(client, text="/menu")
    replies = press(client, replies, "Buscar ayuda legal gratis")
    replies = press(client, replies, "Otro estado")
    replies = api(client, text="Tejas")
    assert replies[0]["text"] == "📍 Texas"
    replies = press(client, replies, "Sí, detenido o detenida")
    replies = press(client, replies, "San Antonio")
    replies = press(client, replies, "Español")
    text = joined(replies)
    assert "1. RAICES\n📍 San Antonio, TX" in text
    assert "Qué hacen: defensa en la corte de inmigración" in text
    assert "llame a su línea sobre detenidos: 1-888-351-4024" in text
    assert len(replies) >= 6 and all(len(str(r["text"])) <= 700 for r in replies)

    page = client.get("/").text
    assert '<a href="tel:18008987180">1-800-898-7180</a>' in page, "numbers are tappable"
    assert 'href="https://raicestexas.org"' in page

    engine = create_engine(sync_url(settings.effective_database_url))
    try:
        with engine.connect() as connection:
            shown = connection.execute(
                sql(
                    "SELECT SUM(count) FROM counter WHERE node = 'legal_aid_results' AND locale = 'es'"
                )
            ).scalar()
            states = [
                row[0] for row in connection.execute(sql("SELECT data FROM conversation_state"))
            ]
    finally:
        engine.dispose()
    assert shown == 1, "counted once as the answer; a page reload only reads (it counts nothing)"
    assert len(states) == 1
    assert '"la_state":"TX"' in states[0].replace(" ", "")
    assert "Tejas" not in states[0], "the typed text is never stored"


def test_english_web_chat_border_and_more(client: httpx.Client) -> None:
    client.headers["Accept-Language"] = "en-US"  # a browser sends it every time
    client.get("/")
    replies = api(client, text="/menu")
    replies = press(client, replies, "Find free legal help")
    replies = press(client, replies, "California")
    replies = press(client, replies, "No")
    replies = press(client, replies, "San Diego")
    replies = press(client, replies, "Spanish")
    text = joined(replies)
    titles = re.findall(r"^\d\. (.+)$", text, flags=re.MULTILINE)
    assert titles == [
        "Casa Cornelia Law Center",
        "Jewish Family Service of San Diego",
        "Immigrant Defenders Law Center (ImmDef)",
    ]
    assert "1-888-351-4024" not in text
    replies = press(client, replies, "➕ More organizations")
    assert re.findall(r"^\d\. (.+)$", joined(replies), flags=re.MULTILINE)[0].startswith(
        "Esperanza"
    )
    replies = press(client, replies, "⬅ Back")
    assert "In which language do you prefer to talk with the organization?" in joined(replies)
