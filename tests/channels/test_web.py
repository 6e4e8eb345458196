"""End to end: the web chat through real HTTP, with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.channels.web import COOKIE, linkify
from bot.settings import Settings
from tests.conftest import make_settings
from tests.support.live import serve


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


def buttons(replies: list[dict[str, object]]) -> dict[str, str]:
    return {str(b["label"]): str(b["payload"]) for r in replies for b in r["buttons"]}  # type: ignore[attr-defined]


def test_page_sets_a_random_session_cookie_and_speaks_the_browser_language(
    client: httpx.Client,
) -> None:
    response = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert response.status_code == 200
    assert 'lang="es"' in response.text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in response.text
    token = response.cookies.get(COOKIE)
    assert token and len(token) >= 40
    cookie_header = response.headers["set-cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=lax" in cookie_header
    assert "no es asesoría legal" in response.text
    assert '<script src="/static/chat.js" defer></script>' in response.text
    assert client.get("/static/chat.js").status_code == 200


def test_two_browsers_have_two_conversations(web_app: tuple[str, Settings]) -> None:
    base, _ = web_app
    with httpx.Client(base_url=base) as first, httpx.Client(base_url=base) as second:
        _two_conversations(first, second)


def _two_conversations(first: httpx.Client, second: httpx.Client) -> None:
    first.headers["Accept-Language"] = "en-US"  # a browser sends it every time
    first.get("/")
    second.headers["Accept-Language"] = "es-MX"  # a browser sends it every time
    second.get("/")
    assert first.cookies[COOKIE] != second.cookies[COOKIE]
    api(first, payload=buttons(api(first, text="/menu"))["Asylum"])
    page = second.get("/").text
    assert "Le damos la bienvenida" in page and "Asylum protects" not in page


def test_unknown_browser_language_gets_the_bilingual_choice(client: httpx.Client) -> None:
    client.headers["Accept-Language"] = "fr-FR"  # a browser sends it every time
    page = client.get("/").text
    assert "Por favor, elija su idioma." in page and "Please choose your language." in page
    assert 'value="lang:es"' in page and 'value="lang:en"' in page


def test_walk_the_menus_with_buttons_through_the_json_api(client: httpx.Client) -> None:
    client.headers["Accept-Language"] = "en-US"  # a browser sends it every time
    client.get("/")
    menu = api(client, text="/menu")
    assert "What would you like to know about?" in str(menu[-1]["text"])
    others = api(client, payload=buttons(menu)["Other protections"])
    topic = api(client, payload=buttons(others)["Withholding of removal"])
    text = " ".join(str(r["text"]) for r in topic)
    assert "Information reviewed on December 1, 2026" in text
    back = api(client, payload=buttons(topic)["⬅ Back"])
    assert "Convention Against Torture" in buttons(back), "back to the previous screen"
    menu = api(client, payload=buttons(back)["🏠 Main menu"])
    asylum = api(client, payload=buttons(menu)["Asylum"])
    sources = api(client, payload=buttons(asylum)["📚 Sources"])
    assert "ASY-1" in str(sources[0]["text"])


def form_buttons(page: str) -> dict[str, str]:
    """Visible label (emoji included, tags removed) → payload of each form button on a page."""
    found = re.findall(r'value="([^"]+)"[^>]*>(.*?)</button>', page)
    return {re.sub(r"<[^>]+>", "", label): value for value, label in found}


def test_no_javascript_form_posts_render_the_next_screen(client: httpx.Client) -> None:
    client.headers["Accept-Language"] = "es-MX"  # a browser sends it every time
    page = client.get("/").text
    buttons_on_page = form_buttons(page)
    assert buttons_on_page["🏠 Menú principal"] == "nav:menu"
    assert '<span aria-hidden="true">🏠</span> Menú principal</button>' in page
    response = client.post("/chat", data={"payload": buttons_on_page["🏠 Menú principal"]})
    assert response.status_code == 200
    menu = form_buttons(response.text)
    assert "Asilo" in menu, "the form post rendered the main menu"
    topic = client.post("/chat", data={"payload": menu["Asilo"]})
    assert "Información revisada el 1 de diciembre de 2026" in topic.text
    response = client.post("/chat", data={"text": "/ayuda"})
    assert "/borrar" in response.text


def test_language_switch_and_delete_on_the_web(client: httpx.Client) -> None:
    client.headers["Accept-Language"] = "es-MX"  # a browser sends it every time
    client.get("/")
    choice = api(client, text="/idioma")
    english = api(client, payload=buttons(choice)["English"])
    assert "Welcome" in str(english[0]["text"])
    done = api(client, text="/delete")
    assert str(done[0]["text"]).startswith("Done. I erased everything")
    client.headers["Accept-Language"] = "es-MX"  # a browser sends it every time
    again = client.get("/").text
    assert "Le damos la bienvenida" in again, "after erasing, the conversation starts fresh"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"", 400),
        (b"[]", 400),
        (b'{"text": ""}', 400),
        (b'{"text": 5}', 400),
        (b'{"payload": "x", "pad": "' + b"x" * (1024 * 1024) + b'"}', 413),
    ],
    ids=["malformed", "empty", "not-an-object", "empty-text", "wrong-type", "oversized"],
)
def test_bad_requests_get_a_clear_status_and_a_kind_message(
    client: httpx.Client, body: bytes, status: int
) -> None:
    response = client.post(
        "/api/chat",
        content=body,
        headers={"Content-Type": "application/json", "Accept-Language": "es"},
    )
    assert response.status_code == status
    assert response.json()["error"] == "Perdón, no pude leer eso. Por favor, intente de nuevo."


def test_nonsense_long_text_and_stale_buttons_lose_nothing(client: httpx.Client) -> None:
    client.headers["Accept-Language"] = "es-MX"  # a browser sends it every time
    client.get("/")
    api(client, text="/menu")
    stale = api(client, payload="b:gone_node:9")
    assert str(stale[0]["text"]).startswith("Ese botón es de una pantalla anterior")
    long = api(client, text="a" * 5000)
    assert str(long[0]["text"]).startswith("Su mensaje es muy largo")
    assert "Asilo" in buttons(long), "the menu is still there"
    gibberish = api(client, text="zxqv wprt klmn")
    assert "Asilo" in buttons(gibberish)
    unknown = api(client, payload="no-such-payload-kind")
    assert "Asilo" in buttons(unknown)


def test_healthz_and_unknown_paths(client: httpx.Client) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["database"] is True and health["telegram"] is False
    assert health["languages"] == ["es", "en"]
    assert client.get("/no-such-page").status_code == 404
    assert client.post("/telegram/webhook", json={"update_id": 1}).status_code == 404, (
        "Telegram is off"
    )


def test_linkify_makes_urls_and_phones_tappable_and_escapes_html() -> None:
    html = str(linkify("Call 1-800-898-7180 or 911, see https://acis.eoir.justice.gov. <b>x</b>"))
    assert '<a href="tel:18008987180">1-800-898-7180</a>' in html
    assert '<a href="tel:911">911</a>' in html
    assert (
        '<a href="https://acis.eoir.justice.gov" rel="noopener noreferrer" target="_blank">' in html
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize("path", ["/api/chat", "/chat"])
def test_posts_from_another_site_are_refused_without_touching_the_session(
    client: httpx.Client, path: str
) -> None:
    client.headers["Accept-Language"] = "es-MX"  # a browser sends it every time
    client.get("/")
    cookie = client.cookies[COOKIE]
    evil = {"Origin": "https://evil.example"}
    refused = (
        client.post(path, json={"text": "/borrar"}, headers=evil)
        if path == "/api/chat"
        else client.post(path, data={"text": "/borrar"}, headers=evil)
    )
    assert refused.status_code == 403
    assert "set-cookie" not in refused.headers, "another site cannot replace the session cookie"
    own = {"Origin": str(client.base_url).rstrip("/")}
    page = client.get("/", headers=own)
    assert client.cookies[COOKIE] == cookie and "Le damos la bienvenida" in page.text, (
        "the conversation was not erased"
    )
    assert client.post("/api/chat", json={"text": "/menu"}, headers=own).status_code == 200


def test_cookie_is_secure_when_the_public_address_is_https(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path, db_url, public_url="https://helpline.example.org")
    with serve(settings) as base, httpx.Client(base_url=base) as plain_http:
        response = plain_http.get("/")
        assert "Secure" in response.headers["set-cookie"], (
            "behind a TLS proxy the cookie stays HTTPS-only"
        )
