"""End to end on the web chat (real app under uvicorn): ``/peligro`` opens the emergency screen,
and an answer the helpline did not understand carries the 🆘 button that opens it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.settings import Settings


@pytest.fixture
def client(web_app: tuple[str, Settings]) -> Iterator[httpx.Client]:
    base, _ = web_app
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client


def api(client: httpx.Client, **body: str) -> list[dict[str, object]]:
    response = client.post("/api/chat", json=body)
    assert response.status_code == 200, response.text
    replies = response.json()["replies"]
    assert isinstance(replies, list)
    return replies


def _text(replies: list[dict[str, object]]) -> str:
    return "\n".join(str(r["text"]) for r in replies)


def test_peligro_opens_the_emergency_screen(client: httpx.Client) -> None:
    client.get("/", headers={"Accept-Language": "es-MX"})
    api(client, text="/menu")
    answer = _text(api(client, text="/peligro"))
    assert "Si está en peligro en Estados Unidos, llame al 911." in answer


def test_the_did_not_understand_reply_has_the_danger_button(client: httpx.Client) -> None:
    client.headers["Accept-Language"] = "en-US"  # a browser sends it with every request
    client.get("/")
    api(client, text="/menu")
    replies = api(client, text="zzxq vvbnm")
    first = replies[0]
    assert str(first["text"]).startswith("Sorry, I did not understand.")
    labels = {str(b["label"]): str(b["payload"]) for b in first["buttons"]}  # type: ignore[attr-defined]
    assert "🆘 I am in danger" in labels
    answer = _text(api(client, payload=labels["🆘 I am in danger"]))
    assert "If you are in danger in the United States, call 911." in answer
