"""Dated notices: a translated banner above the main menu, shown from ``reviewed`` up to and
including ``expires``, never without both dates or without a clock, and extracted for
translators like every other string.

The engine runs on a copy of the tiny flows plus a ``notices.yaml``, with a real Spanish catalog
compiled by Babel in ``tmp_path``; "today" is fixed through ``Services.extras["today"]``, the way
the service passes its clock.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.content import build_services
from bot.engine import Event, advance, load_flows
from bot.engine.model import Flows
from bot.engine.types import ConversationState, Reply, Services
from bot.engine.ui import NOTICE
from bot.i18n.catalogs import BabelLocalizer, load_localizer
from bot.i18n.extract import extract_flows

TINY = Path(__file__).resolve().parent.parent / "data" / "flows_tiny"
NOTICE_TEXT = "A rule changed today. Ask a free legal service before you decide."
NOTICE_ES = "Una regla cambió hoy. Pregunte a un servicio legal gratis antes de decidir."
NOTICES = f"""\
notices:
  - id: rule_change
    text: {NOTICE_TEXT}
    reviewed: 2026-12-01
    expires: 2026-12-15
  - id: undated
    text: This one has no dates, so nobody sees it.
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flows, BabelLocalizer]:
    root = tmp_path_factory.mktemp("notices")
    shutil.copytree(TINY, root / "flows")
    (root / "flows" / "notices.yaml").write_text(NOTICES, encoding="utf-8")
    catalog = Catalog(locale="es")
    catalog.add(NOTICE_TEXT, NOTICE_ES)
    catalog.add(NOTICE, "📢 {text}\n(Aviso revisado el {date}.)")
    po = root / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as handle:
        write_po(handle, catalog)
    result = load_flows(root / "flows")
    assert result.errors == []
    return result.flows, load_localizer(root / "locales", ["es", "en"])


def main_menu(content: tuple[Flows, BabelLocalizer], lang: str, today: object) -> list[Reply]:
    flows, localizer = content
    services = Services(extras={"today": today}) if today is not None else Services()
    state = ConversationState(locale=lang, node="main")
    _, replies = advance(flows, state, Event.typed("/menu"), localizer, services)
    return replies


@pytest.mark.parametrize(
    ("lang", "banner"),
    [
        ("en", f"📢 {NOTICE_TEXT}\n(Notice reviewed on December 1, 2026.)"),
        ("es", f"📢 {NOTICE_ES}\n(Aviso revisado el 1 de diciembre de 2026.)"),
    ],
)
def test_the_notice_is_the_first_bubble_of_the_main_menu_in_the_persons_language(
    content: tuple[Flows, BabelLocalizer], lang: str, banner: str
) -> None:
    replies = main_menu(content, lang, dt.date(2026, 12, 5))
    assert replies[0].text == banner
    assert replies[0].buttons == ()
    assert replies[-1].buttons, "the menu's buttons follow"
    assert "nobody sees it" not in "\n".join(r.text for r in replies)


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (dt.date(2026, 11, 30), False),  # before it was reviewed
        (dt.date(2026, 12, 1), True),
        (dt.date(2026, 12, 15), True),  # the last day
        (dt.date(2026, 12, 16), False),  # expired
        (lambda: dt.date(2026, 12, 10), True),  # a clock, as the service passes it
        (None, False),  # no clock: never risk showing an expired notice
    ],
)
def test_the_notice_is_shown_only_between_its_dates(
    content: tuple[Flows, BabelLocalizer], today: object, shown: bool
) -> None:
    replies = main_menu(content, "en", today)
    assert (NOTICE_TEXT in replies[0].text) is shown


def test_the_notice_is_not_on_other_screens(content: tuple[Flows, BabelLocalizer]) -> None:
    flows, localizer = content
    other = next(n for n in flows.nodes if n not in ("main", "welcome"))
    state = ConversationState(locale="en", node="main")
    services = Services(extras={"today": dt.date(2026, 12, 5)})
    _, replies = advance(flows, state, Event.pressed(f"g:{other}"), localizer, services)
    assert all(NOTICE_TEXT not in reply.text for reply in replies)


def test_the_service_passes_its_clock_to_the_engine() -> None:
    services = build_services(load_flows(TINY).flows, ["en"])
    clock = services.extras["today"]
    assert callable(clock) and clock() == dt.date.today()


def test_the_extractor_gives_translators_the_notice_text() -> None:
    found = list(extract_flows(io.BytesIO(NOTICES.encode()), {}, [], {}))
    assert found[0] == (
        2,
        None,
        NOTICE_TEXT,
        ["notice rule_change", "banner at the top of the main menu"],
    )
    assert [message for _, _, message, _ in found] == [
        NOTICE_TEXT,
        "This one has no dates, so nobody sees it.",
    ]


def test_the_real_notices_file_loads() -> None:
    real = Path(__file__).resolve().parents[2] / "flows"
    result = load_flows(real)
    assert result.errors == []
    assert all(notice.reviewed and notice.expires for notice in result.flows.notices.values())
