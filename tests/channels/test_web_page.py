"""The web chat page over real HTTP: which posts are refused, and what people see then; chrome,
emoji and language marks in the page and in the script's JSON."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.settings import Settings


@pytest.fixture
def client(web_app: tuple[str, Settings]) -> Iterator[httpx.Client]:
    base, _ = web_app
    # A browser sends its language with every request.
    with httpx.Client(base_url=base, timeout=10, headers={"Accept-Language": "es-MX"}) as client:
        client.get("/")
        yield client


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, True),
        ({"Origin": "null", "Sec-Fetch-Site": "none"}, True),
        ({}, True),
        ({"Origin": "null"}, False),
        ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, False),
        ({"Origin": "null", "Sec-Fetch-Site": "same-site"}, False),
        ({"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"}, False),
        ({"Sec-Fetch-Site": "cross-site"}, False),
    ],
    ids=[
        "null-same-origin",
        "null-typed",
        "no-headers",
        "null-alone",
        "null-cross-site",
        "null-same-site",
        "foreign-origin",
        "cross-site-no-origin",
    ],
)
def test_which_form_posts_are_answered(
    client: httpx.Client, headers: dict[str, str], allowed: bool
) -> None:
    response = client.post("/chat", data={"payload": "nav:menu"}, headers=headers)
    if allowed:
        assert response.status_code == 200
        assert "Asilo" in response.text
    else:
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert "set-cookie" not in response.headers


def test_our_own_origin_with_sec_fetch_site_is_answered(client: httpx.Client) -> None:
    own = {"Origin": str(client.base_url).rstrip("/"), "Sec-Fetch-Site": "same-origin"}
    assert client.post("/chat", data={"payload": "nav:menu"}, headers=own).status_code == 200
    assert client.post("/api/chat", json={"payload": "nav:menu"}, headers=own).status_code == 200


@pytest.mark.parametrize(
    ("language", "heading"),
    [("es-MX", "No se pudo enviar este mensaje"), ("en-US", "This message could not be sent")],
)
def test_a_refused_post_gets_a_kind_page_in_the_browser_language(
    client: httpx.Client, language: str, heading: str
) -> None:
    refused = client.post(
        "/chat",
        data={"text": "/borrar"},
        headers={"Origin": "https://evil.example", "Accept-Language": language},
    )
    assert refused.status_code == 403
    page = refused.text
    assert f"<h1>{heading}</h1>" in page
    assert f'lang="{language[:2]}"' in page
    assert '<a href="tel:911">911</a>' in page
    assert '<a class="back" href="/">' in page
    assert page.startswith("<!doctype html>") and "cross-site request refused" not in page


def test_the_script_gets_a_refusal_it_can_show(client: httpx.Client) -> None:
    refused = client.post(
        "/api/chat", json={"text": "/borrar"}, headers={"Origin": "https://evil.example"}
    )
    assert refused.status_code == 403
    assert refused.json()["replies"][0]["text"].startswith("No se pudo enviar este mensaje")


def test_the_page_keeps_its_origin_on_its_own_posts_only(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.headers["referrer-policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in response.text


def test_a_reload_of_the_form_address_shows_the_chat(client: httpx.Client) -> None:
    response = client.get("/chat", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_json_carries_the_chrome_the_erasure_and_the_language_of_each_line(
    client: httpx.Client,
) -> None:
    choice = client.post("/api/chat", json={"text": "/idioma"}).json()
    lines = choice["replies"][0]["lines"]
    assert [None, "Por favor, elija su idioma."] in lines
    assert ["en", "Please choose your language."] in lines
    english = {b["label"]: b for b in choice["replies"][0]["buttons"]}["English"]
    assert english["lang"] == "en"
    switched = client.post("/api/chat", json={"payload": "lang:en"}).json()
    assert switched["chrome"] == {
        "lang": "en",
        "title": "Protection information helpline",
        "write": "Write your question",
        "send": "Send",
        "offline": "No connection. Please try again.",
    }
    assert switched["erased"] is False
    erased = client.post("/api/chat", json={"text": "/delete"}).json()
    assert erased["erased"] is True
    assert erased["chrome"]["lang"] == "en", "the erasure is answered in the person's language"
    text = erased["replies"][0]["text"]
    assert "close this tab and clear this browser's history" in text
    assert "Telegram" not in text


def test_page_hides_emoji_and_marks_the_english_question(web_app: tuple[str, Settings]) -> None:
    base, _ = web_app
    with httpx.Client(base_url=base) as browser:
        page = browser.get("/", headers={"Accept-Language": "fr"}).text
        assert '<span lang="en">Please choose your language.</span>' in page
        assert 'value="lang:en" lang="en">English</button>' in page
        menu = browser.post("/chat", data={"payload": "lang:es"}).text
        assert '<span aria-hidden="true">🌐</span> Idioma' in menu
        assert '<h1 id="title">Línea de información sobre protección</h1>' in menu


def test_a_mistyped_address_gets_a_kind_page_in_a_browser(client: httpx.Client) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": "es-MX"}
    page = client.get("/no-such-page", headers=browser)
    assert page.status_code == 404
    assert "<h1>Esta página no existe</h1>" in page.text
    assert '<a class="back" href="/">Volver a la línea de ayuda</a>' in page.text
    program = client.get("/no-such-page")
    assert program.status_code == 404 and program.json() == {"error": "Not Found"}
    assert client.get("/api/nothing", headers=browser).json() == {"error": "Not Found"}


def test_a_bubble_in_another_language_is_marked_for_screen_readers() -> None:
    from bot.channels.web_view import bubbles
    from bot.engine.types import Button, Reply
    from tests.engine.test_runner import TwoLanguages

    replies = [
        Reply("Llame al 911."),
        Reply("Call 911.", (Button("I am safe now", payload="b:emergency:0"),), lang="en"),
    ]
    spanish, english = bubbles(replies, TwoLanguages(), "es")
    assert spanish["lines"] == [[None, "Llame al 911."]]
    assert english["lines"] == [["en", "Call 911."]]
    assert english["buttons"][0]["lang"] == "en"
    (same,) = bubbles(replies[1:], TwoLanguages(), "en")
    assert same["lines"] == [[None, "Call 911."]], "no mark where the page is in that language"
