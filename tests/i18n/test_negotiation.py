"""The web chat speaks the first language of the browser's list that the helpline speaks."""

from __future__ import annotations

import httpx
import pytest

from bot.i18n.catalogs import load_localizer
from bot.i18n.negotiation import preferred_tags
from bot.settings import REPO_ROOT, Settings


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ("es-MX", ["es-MX"]),
        ("es-MX,es;q=0.9,en;q=0.5", ["es-MX", "es", "en"]),
        ("en;q=0.2, es-MX;q=0.8, fr", ["fr", "es-MX", "en"]),
        ("fr-CA, de;q=0.7, es;q=0.7", ["fr-CA", "de", "es"]),
        ("es;q=0, en", ["en"]),
        ("*, en;q=0.5", ["en"]),
        ("en;q=abc, es;q=0.5", ["es", "en"]),
        ("", []),
    ],
)
def test_tags_come_in_the_order_of_their_quality(header: str, tags: list[str]) -> None:
    assert preferred_tags(header) == tags


@pytest.mark.parametrize(
    ("hint", "locale"),
    [
        ("es-MX", "es"),
        ("en-US", "en"),
        ("qu-PE,qu;q=0.9,es-PE;q=0.8,en;q=0.5", "es"),
        ("fr-FR,fr;q=0.9,en-GB;q=0.8,es;q=0.7", "en"),
        ("es;q=0.1,en;q=0.9", "en"),
        ("es;q=0,en;q=0", None),
        ("fr-FR,de", None),
        ("not a tag!!,es", "es"),
        (None, None),
    ],
)
def test_the_first_language_the_helpline_speaks_wins(hint: str | None, locale: str | None) -> None:
    localizer = load_localizer(REPO_ROOT / "locales", ["es", "en"])
    assert localizer.negotiate(hint) == locale


def test_a_browser_with_spanish_second_gets_the_chat_in_spanish(
    web_app: tuple[str, Settings],
) -> None:
    base, _ = web_app
    header = {"Accept-Language": "qu-PE,qu;q=0.9,es-419;q=0.8,en;q=0.5"}
    with httpx.Client(base_url=base, timeout=10) as client:
        page = client.get("/", headers=header).text
    assert "Le damos la bienvenida" in page and "Please choose your language." not in page
