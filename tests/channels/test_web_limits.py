"""The web chat at its edges: oversized forms, odd Unicode, hostile JSON, and response headers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.http import SECURITY_HEADERS
from bot.settings import Settings

KIND = "Perdón, no pude leer eso. Por favor, intente de nuevo."


@pytest.fixture
def client(web_app: tuple[str, Settings]) -> Iterator[httpx.Client]:
    base, _ = web_app
    with httpx.Client(base_url=base, timeout=30, headers={"Accept-Language": "es-MX"}) as client:
        client.get("/")
        yield client


def test_form_posts_over_the_body_limit_are_refused_kindly(client: httpx.Client) -> None:
    many_fields = "&".join(f"f{i}=" + "x" * 2000 for i in range(600))  # each field under 1 MB
    response = client.post(
        "/chat",
        content=many_fields,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert KIND in response.text, "a page with a kind message, not an error document"
    assert 'value="nav:menu"' in response.text, "and the current screen, so nothing is lost"


def test_file_uploads_to_the_chat_form_are_refused_over_the_limit(client: httpx.Client) -> None:
    files = {"attachment": ("big.bin", b"0" * (2 * 1024 * 1024), "application/octet-stream")}
    response = client.post("/chat", data={"text": "hola"}, files=files)
    assert response.status_code == 413


def test_a_small_multipart_form_still_works(client: httpx.Client) -> None:
    response = client.post("/chat", data={"payload": "nav:menu"}, files={"x": ("a", b"a")})
    assert response.status_code == 200
    assert 'value="b:main:asylum"' in response.text


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "necesito ayuda \\ud83d con el asilo"}',
        b'{"text": "\\udc00"}',
        b'{"payload": "lang:\\ud800"}',
    ],
    ids=["half-emoji-in-text", "lone-low-surrogate", "surrogate-in-payload"],
)
def test_lone_surrogates_from_json_are_answered(client: httpx.Client, body: bytes) -> None:
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json()["replies"], "an answer, not a server error"


def test_json_nested_too_deep_is_a_bad_request(client: httpx.Client) -> None:
    response = client.post(
        "/api/chat",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == KIND


def test_every_response_carries_the_security_headers(client: httpx.Client) -> None:
    for response in (client.get("/"), client.get("/static/chat.js"), client.get("/nowhere")):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src" not in policy and "default-src 'self'" in policy, (
        "scripts only from the service itself; the page has no inline script"
    )
    assert "<script>" not in client.get("/").text
