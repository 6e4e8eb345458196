"""The web chat in a real browser (Debian's Chromium driven by Playwright), as a person uses it.

Each test opens the page on a phone-sized screen, taps buttons by their visible names and reads the
answer. They run with JavaScript, without it, and with the script still loading on a slow
connection. ``make test`` installs Chromium (``apt-get install chromium``) where it is missing; the
tests skip, saying why, only where it cannot be installed. A screenshot of the phone screen is kept
under ``tests/artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from tests.conftest import make_settings
from tests.support.live import serve

playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (it is a dev dependency: make test)"
)
from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    Route,
    expect,
)

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AXE = "axe_playwright_python"


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """One Playwright driver for the module (a second one cannot run in the same thread)."""
    with playwright_sync.sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the module (each test gets its own context: its own cookies)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium); "
            "make test does it where apt-get can"
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole helpline on SQLite, served on 127.0.0.1 for the module."""
    tmp = tmp_path_factory.mktemp("browser")
    settings: Settings = make_settings(tmp, f"sqlite:///{tmp / 'helpline.db'}")
    with serve(settings) as base:
        yield base


def phone(browser: Browser, base_url: str, locale: str, **options: Any) -> BrowserContext:
    """A fresh phone-sized browser whose language is ``locale`` (sent as Accept-Language)."""
    context = browser.new_context(viewport=PHONE, locale=locale, base_url=base_url, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def spanish(browser: Browser, base_url: str) -> Iterator[Page]:
    context = phone(browser, base_url, "es-MX")
    page = context.new_page()
    page.goto("/")
    yield page
    context.close()


@pytest.fixture
def english(browser: Browser, base_url: str) -> Iterator[Page]:
    context = phone(browser, base_url, "en-US")
    page = context.new_page()
    page.goto("/")
    yield page
    context.close()


def newest(page: Page) -> Locator:
    """The newest answer on the page (with JavaScript, earlier answers stay above it)."""
    return page.locator("#chat .turn").last


def tap(page: Page, name: str) -> None:
    """Tap a button of the newest answer by its visible name (emoji are not part of the name)."""
    newest(page).get_by_role("button", name=name, exact=True).click()


def write(page: Page, text: str) -> None:
    """Type into the message box and send it, as a person does."""
    box = page.get_by_role("textbox")
    box.fill(text)
    box.press("Enter")


def expect_answer_on_screen(page: Page, text: str) -> None:
    """The newest answer contains ``text``, has the focus, and starts inside the screen."""
    answer = newest(page)
    expect(answer).to_contain_text(text)
    expect(answer).to_be_focused()
    box = answer.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 120, f"the answer starts at y={box['y']}, not at the top of the screen"


def contrast(page: Page, locator: Locator, prop: str, against: str) -> float:
    """WCAG contrast ratio between two computed colours of an element (e.g. border vs. page)."""
    colours = locator.evaluate(
        f"e => [getComputedStyle(e)['{prop}'], getComputedStyle(e)['{against}']]"
    )

    def luminance(css: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css)[:3])
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(colours[0]), luminance(colours[1])), reverse=True)
    return (high + 0.05) / (low + 0.05)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    axe_module = pytest.importorskip(AXE, reason="axe-playwright-python is a dev dependency")
    source = (Path(axe_module.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    page.evaluate(source)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# -- what a person sees first ----------------------------------------------------------------------


def test_first_screen_in_spanish(spanish: Page) -> None:
    expect(spanish.locator("html")).to_have_attribute("lang", "es")
    expect(spanish).to_have_title("Línea de información sobre protección")
    expect(spanish.get_by_role("heading", level=1)).to_have_text(
        "Línea de información sobre protección"
    )
    expect_answer_on_screen(spanish, "¿Está en peligro ahora mismo?")
    expect(newest(spanish).get_by_role("button", name="Sí, estoy en peligro")).to_be_visible()
    expect(spanish.get_by_role("textbox", name="Escriba su pregunta")).to_have_attribute(
        "placeholder", "Escriba su pregunta"
    )
    expect(spanish.get_by_role("button", name="Enviar")).to_be_visible()
    box = spanish.get_by_role("textbox")
    assert contrast(spanish, box, "borderTopColor", "backgroundColor") >= 3
    assert contrast(spanish, box, "color", "backgroundColor") >= 4.5
    danger = newest(spanish).get_by_role("button", name="Sí, estoy en peligro")
    assert contrast(spanish, danger, "borderTopColor", "backgroundColor") >= 3
    assert contrast(spanish, danger, "color", "backgroundColor") >= 4.5
    assert serious_violations(spanish) == []


def test_first_screen_in_english(english: Page) -> None:
    expect(english.locator("html")).to_have_attribute("lang", "en")
    expect(english).to_have_title("Protection information helpline")
    expect_answer_on_screen(english, "Are you in danger right now?")
    expect(english.get_by_role("textbox", name="Write your question")).to_be_visible()
    expect(english.get_by_role("button", name="Send")).to_be_visible()


def test_unknown_language_asks_in_both_with_the_english_line_marked(
    browser: Browser, base_url: str
) -> None:
    context = phone(browser, base_url, "fr-FR")
    page = context.new_page()
    page.goto("/")
    expect(newest(page)).to_contain_text("Por favor, elija su idioma.")
    expect(page.locator('[lang="en"]', has_text="Please choose your language.")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    assert serious_violations(page) == []
    tap(page, "English")
    expect_answer_on_screen(page, "Are you in danger right now?")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_screenshot_at_360_px_is_kept(spanish: Page) -> None:
    tap(spanish, "No, ver el menú")
    expect_answer_on_screen(spanish, "¿Sobre qué quiere saber?")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "web-chat-menu-360x740.png"
    spanish.screenshot(path=str(path))
    print(f"screenshot: {path}")
    assert path.stat().st_size > 5_000
    width = spanish.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing is wider than the phone (no sideways scrolling)"


# -- walking, typing, the tools -----------------------------------------------------------------


def test_walk_to_a_topic_and_back(spanish: Page) -> None:
    tap(spanish, "No, ver el menú")
    expect_answer_on_screen(spanish, "¿Sobre qué quiere saber?")
    tap(spanish, "Otras protecciones")
    expect_answer_on_screen(spanish, "Además del asilo")
    tap(spanish, "Suspensión de remoción")
    expect_answer_on_screen(spanish, "Información revisada el")
    assert serious_violations(spanish) == []
    tap(spanish, "Atrás")
    expect_answer_on_screen(spanish, "Además del asilo")
    tap(spanish, "Menú principal")
    expect_answer_on_screen(spanish, "¿Sobre qué quiere saber?")


def test_the_one_year_calculator(spanish: Page) -> None:
    tap(spanish, "No, ver el menú")
    tap(spanish, "El plazo de un año")
    expect_answer_on_screen(spanish, "Escriba la fecha de su última llegada")
    write(spanish, "15 de marzo de 2025")
    expect(spanish.locator(".me").last).to_have_text("15 de marzo de 2025")
    expect_answer_on_screen(spanish, "15 de marzo de 2026")


def test_legal_aid_search(spanish: Page) -> None:
    tap(spanish, "No, ver el menú")
    tap(spanish, "Buscar ayuda legal gratis")
    expect_answer_on_screen(spanish, "¿Dónde está ahora?")
    tap(spanish, "Texas")
    expect_answer_on_screen(spanish, "detenido")
    tap(spanish, "No")
    expect_answer_on_screen(spanish, "corte")
    tap(spanish, "San Antonio")
    expect_answer_on_screen(spanish, "¿En qué idioma prefiere")
    tap(spanish, "Español")
    expect_answer_on_screen(spanish, "TX")
    expect(
        newest(spanish).get_by_role("link", name=re.compile("1-800-898-7180"))
    ).to_have_attribute("href", "tel:18008987180")
    assert serious_violations(spanish) == []


def test_typed_text_finds_a_topic(english: Page) -> None:
    write(english, "what is asylum")
    expect(english.locator(".me").last).to_have_text("what is asylum")
    expect_answer_on_screen(english, "Information reviewed on")


def test_switching_language_changes_the_page_at_once(spanish: Page) -> None:
    tap(spanish, "No, ver el menú")
    tap(spanish, "Idioma")
    tap(spanish, "English")
    expect_answer_on_screen(spanish, "What would you like to know about?")
    expect(spanish.locator("html")).to_have_attribute("lang", "en")
    expect(spanish).to_have_title("Protection information helpline")
    expect(spanish.get_by_role("heading", level=1)).to_have_text("Protection information helpline")
    expect(spanish.get_by_role("textbox", name="Write your question")).to_have_attribute(
        "placeholder", "Write your question"
    )
    expect(spanish.get_by_role("button", name="Send")).to_be_visible()


def test_borrar_clears_the_page_and_gives_web_advice(spanish: Page) -> None:
    tap(spanish, "No, ver el menú")
    write(spanish, "mi nombre es Rosa y llegué en marzo")
    expect(newest(spanish)).to_be_focused()
    write(spanish, "/borrar")
    expect_answer_on_screen(spanish, "cierre esta pestaña y borre el historial de este navegador")
    chat = spanish.locator("#chat")
    expect(chat).not_to_contain_text("Rosa")
    expect(chat).not_to_contain_text("¿Sobre qué quiere saber?")
    expect(chat).not_to_contain_text("Telegram")
    expect(spanish.locator(".me")).to_have_count(0)
    expect(spanish.get_by_role("textbox")).to_have_value("")
    expect(spanish.locator("html")).to_have_attribute("lang", "es")


# -- without JavaScript, and before the script has arrived ----------------------------------------


def test_every_form_post_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = phone(browser, base_url, "es-MX", java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    tap(page, "Sí, estoy en peligro")
    expect(newest(page)).to_contain_text("llame al 911")
    expect(newest(page)).to_be_focused()  # the new page puts focus on its answer by itself
    tap(page, "Ya estoy a salvo")
    expect(newest(page)).to_contain_text("¿Sobre qué quiere saber?")
    write(page, "asilo")
    expect(newest(page)).to_contain_text("Información revisada el")
    tap(page, "Menú principal")
    tap(page, "Idioma")
    tap(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("textbox", name="Write your question")).to_be_visible()
    write(page, "/borrar")
    expect(newest(page)).to_contain_text("close this tab and clear this browser's history")
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    context.close()


def test_taps_work_while_the_script_is_still_loading(browser: Browser, base_url: str) -> None:
    """On a slow connection the person taps before chat.js arrives: the form posts on its own."""
    context = phone(browser, base_url, "es-MX")
    held: list[Route] = []
    context.route("**/static/chat.js", lambda route: held.append(route))  # still on its way
    page = context.new_page()
    page.goto("/", wait_until="commit")
    tap(page, "Sí, estoy en peligro")
    expect(newest(page)).to_contain_text("llame al 911")
    assert held, "the page asked for its script"
    context.unroute("**/static/chat.js")
    for route in held:
        # The script arrives late; the first page's request may be gone with the page it was for.
        with contextlib.suppress(Exception):
            route.continue_()
    page.reload()
    tap(page, "Ya estoy a salvo")
    expect(newest(page)).to_contain_text("¿Sobre qué quiere saber?")
    expect(page.locator(".me").last).to_have_text("Ya estoy a salvo")  # the script answered
    context.close()


def test_a_post_from_another_site_gets_a_kind_page(browser: Browser, base_url: str) -> None:
    context = phone(browser, base_url, "es-MX")
    page = context.new_page()
    page.goto("/")
    expect(newest(page)).to_contain_text("¿Está en peligro ahora mismo?")
    evil = (
        '<!doctype html><html lang="en"><body><form method="post" action="'
        f'{base_url}/chat"><input name="text" value="/borrar"><button>Win a prize</button>'
        "</form></body></html>"
    )
    context.route(
        "http://other-site.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=evil),
    )
    page.goto("http://other-site.example/")
    with page.expect_response(f"{base_url}/chat") as refused:
        page.get_by_role("button", name="Win a prize").click()
    assert refused.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("No se pudo enviar este mensaje")
    expect(page.locator("body")).to_contain_text("No cambió nada en su conversación")
    expect(page.locator("body")).not_to_contain_text("error")
    page.get_by_role("link", name="Volver a la línea de ayuda").click()
    expect(newest(page)).to_contain_text("¿Está en peligro ahora mismo?")
    context.close()


# -- Firefox (Debian's firefox-esr, through WebDriver BiDi) ---------------------------------------

FIREFOX = os.environ.get("FIREFOX") or shutil.which("firefox-esr") or shutil.which("firefox")


@pytest.fixture(scope="module")
def firefox(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Firefox, where Playwright can drive it (its ``moz-firefox`` channel speaks
    WebDriver BiDi to a stock Firefox; an ESR may lack commands Playwright needs)."""
    if FIREFOX is None:
        pytest.skip("no Firefox: apt-get install firefox-esr")
    browser = playwright.firefox.launch(channel="moz-firefox", executable_path=FIREFOX)
    try:
        browser.new_context().close()
    except playwright_sync.Error as exc:
        version = browser.version
        browser.close()
        reason = str(exc).splitlines()[0]
        pytest.skip(f"Playwright cannot drive {FIREFOX} {version}: {reason}")
    yield browser
    browser.close()


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_form_posts_work_in_firefox(firefox: Browser, base_url: str, script: bool) -> None:
    context = phone(firefox, base_url, "es-MX", java_script_enabled=script)
    page = context.new_page()
    page.goto("/")
    tap(page, "Sí, estoy en peligro")
    expect(newest(page)).to_contain_text("llame al 911")
    write(page, "asilo")
    expect(newest(page)).to_contain_text("Información revisada el")
    context.close()
