"""Rules every piece of content in ``flows/`` must follow, whoever wrote it.

Every screen can be reached from the start; every string people can read (flow text and interface
strings in the code) has a real Spanish translation; no bubble is longer than one phone screen
(700 characters) or than Telegram allows (4,096); every legal screen names its sources and the date
it was reviewed. These run on the real files, so a new screen that breaks a rule fails here.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import bot.actions  # noqa: F401 - registers the built-in actions
from bot.engine.actions import ACTIONS
from bot.engine.model import Flows
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event
from bot.i18n.catalogs import BabelLocalizer

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "locales" / "es" / "LC_MESSAGES" / "messages.po"
LANGS = ("es", "en")
SCREEN = 700
TELEGRAM = 4096
LABEL = 30
START = ("welcome", "main")
PLACEHOLDER = re.compile(r"\{\w*\}")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The Spanish catalog as editors leave it."""
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="es")


@pytest.fixture(scope="module")
def msgids() -> dict[str, str]:
    """Every string pybabel extracts (flows and code), with where it was found."""
    method_map = [("flows/*.yaml", "bot.i18n.extract:extract_flows"), ("bot/**.py", "python")]
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(REPO), method_map=method_map, keywords={"N_": None}
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, f"{filename}:{lineno}")
    return found


def test_every_screen_is_reachable_from_the_start(flows: Flows) -> None:
    seen = set(START)
    queue = deque(START)
    while queue:
        node = flows.nodes[queue.popleft()]
        targets = [button.goto for button in node.buttons]
        if node.input is not None and node.input.next:
            targets.append(node.input.next)
        for target in targets:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    typed_only = {"danger_check"}  # reached by typing fear alone ("tengo miedo"), see bot.nlu
    assert sorted(set(flows.nodes) - seen - typed_only) == []


def test_the_first_screens_exist_and_welcome_asks_about_danger(flows: Flows) -> None:
    for node_id in ("welcome", "emergency", "main", "about", "help"):
        assert node_id in flows.nodes
    assert {b.goto for b in flows.nodes["welcome"].buttons} == {"emergency", "main"}


def test_extraction_finds_flow_and_interface_strings(msgids: dict[str, str]) -> None:
    assert "Are you in danger right now?" in msgids
    assert "⬅ Back" in msgids
    assert "That is in {days} days." in msgids


def test_every_string_has_a_real_spanish_translation(
    msgids: dict[str, str], catalog: Catalog
) -> None:
    problems = []
    for msgid, where in sorted(msgids.items()):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"{where}: not in the catalog: {msgid[:60]!r}")
        elif not entry.string or not str(entry.string).strip():
            problems.append(f"{where}: no Spanish: {msgid[:60]!r}")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy: {msgid[:60]!r}")
        elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(str(entry.string))):
            problems.append(f"{where}: placeholders differ: {msgid[:60]!r}")
    assert problems == []


def test_no_entry_in_the_catalog_is_fuzzy(catalog: Catalog) -> None:
    assert [m.id for m in catalog if m.id and m.fuzzy] == []


def test_the_compiled_catalog_answers_in_spanish(localizer: BabelLocalizer) -> None:
    assert (
        localizer.translator("es").gettext("Are you in danger right now?")
        == "¿Está en peligro ahora mismo?"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_no_message_is_longer_than_a_screen_and_labels_fit(
    flows: Flows, localizer: BabelLocalizer, lang: str
) -> None:
    t = localizer.translator(lang)
    long_messages = [
        (node.id, len(t.gettext(m.text)))
        for node in flows.nodes.values()
        for m in node.messages
        if len(t.gettext(m.text)) > SCREEN
    ]
    long_labels = [
        (node.id, t.gettext(b.label))
        for node in flows.nodes.values()
        for b in node.buttons
        if len(t.gettext(b.label)) > LABEL
    ]
    assert long_messages == []
    assert long_labels == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_screen_renders_within_telegram_limits(
    flows: Flows, localizer: BabelLocalizer, lang: str
) -> None:
    too_long = []
    for node in flows.nodes.values():
        if node.action is not None and node.action not in ACTIONS:
            pytest.fail(f"{node.id}: unknown action {node.action}")
        state = ConversationState(locale=lang, node="main")
        _, replies = advance(flows, state, Event.pressed(f"g:{node.id}"), localizer)
        if node.legal:
            _, sources = advance(flows, state, Event.pressed(f"src:{node.id}"), localizer)
            replies = [*replies, *sources]
        assert replies, node.id
        too_long += [(node.id, len(r.text)) for r in replies if len(r.text) > TELEGRAM]
    assert too_long == []


def test_every_legal_screen_has_sources_and_a_review_date(flows: Flows) -> None:
    missing = []
    for node in flows.nodes.values():
        if not node.legal:
            continue
        if not node.sources or node.reviewed is None:
            missing.append(node.id)
        for source in node.sources:
            cited = flows.sources.get(source)
            if cited is None or cited.confidence not in ("G", "S"):
                missing.append(f"{node.id}:{source}")
    assert missing == []


def test_screens_that_cite_facts_are_marked_legal(flows: Flows) -> None:
    assert [n.id for n in flows.nodes.values() if n.sources and not n.legal] == []


def test_no_forbidden_terms(flows: Flows, catalog: Catalog) -> None:
    spanish = "\n".join(str(m.string) for m in catalog if m.id).lower()
    assert "suspensión de deportación" not in spanish
    assert "cancelación de deportación" not in spanish
    english = "\n".join(m.text for n in flows.nodes.values() for m in n.messages).lower()
    assert "you qualify" not in english
    assert "you will get" not in english


def test_readability_meets_the_goals_on_average(flows: Flows, localizer: BabelLocalizer) -> None:
    from bot.readability import ENGLISH_GOAL, SPANISH_GOAL, measure, plain_words, render_report

    assert plain_words("Call 1-800-898-7180 or visit acis.eoir.justice.gov. Write /delete 🔹") == (
        "Call or visit. Write."
    )
    scores = measure(flows, localizer.translator("en"), localizer.translator("es"))
    assert {s.node for s in scores} >= {"welcome", "screener_result", "deadline", "court", "safety"}
    grades = [s.grade_en for s in scores if s.grade_en is not None]
    huertas = [s.huerta_es for s in scores if s.huerta_es is not None]
    assert sum(grades) / len(grades) <= ENGLISH_GOAL
    assert sum(huertas) / len(huertas) >= SPANISH_GOAL
    report = render_report(scores, hardest=3)
    assert "English average Flesch–Kincaid grade" in report
    assert "Hardest 3 screens in Spanish" in report
