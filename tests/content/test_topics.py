"""The legal topics (asylum, withholding, CAT, administrative closure, comparison) as people read them.

Conversations go through the real engine (``advance``) on the real ``flows/`` and ``locales/``, in
Spanish and in English, pressing the same buttons a person would. The checks are about what could
put someone at risk: a wrong or untranslated fact, a forbidden Spanish term ("suspensión de
deportación" is a different, older relief), a promise of an outcome, a source that the shared
legal-facts file does not mark as confirmed.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import bot.actions  # noqa: F401 - registers the built-in actions that other nodes use
from bot.engine.loader import load_flows
from bot.engine.model import Flows, Node
from bot.engine.runner import advance, press
from bot.engine.types import Button, ConversationState, Event, Reply, Services
from bot.i18n.catalogs import BabelLocalizer
from bot.text import fold_accents

REPO = Path(__file__).resolve().parents[2]
FLOWS_DIR = REPO / "flows"
LOCALES_DIR = REPO / "locales"
CATALOG = LOCALES_DIR / "es" / "LC_MESSAGES" / "messages.po"
FACTS_FILE = REPO.parent / "shared" / "content" / "legal-facts.md"

TOPIC_FILES = ("asylum", "withholding", "cat", "admin_closure", "compare")
TOPICS = ("asylum", "withholding", "cat", "admin_closure", "compare")
LANGS = ("es", "en")
MAX_MESSAGE = 700
MAX_LABEL = 30
REVIEWED = {"es": "1 de diciembre de 2026", "en": "December 1, 2026"}
DISCLAIMER = {"es": "no es asesoría legal", "en": "not legal advice"}


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def topic_nodes(flows: Flows) -> list[Node]:
    """The nodes written in this task's flow files, in file order."""
    return [
        node
        for node in flows.nodes.values()
        if node.origin is not None and Path(node.origin.file).stem in TOPIC_FILES
    ]


def _fold(text: str) -> str:
    """Lowercase without accents, so "Suspensión" and "suspension" compare equal."""
    return fold_accents(text).lower()


# -- a conversation through the real engine ---------------------------------------------------------


class Chat:
    """One person's conversation: press buttons, read the bubbles, keep the state like a channel."""

    def __init__(self, flows: Flows, localizer: BabelLocalizer, lang: str) -> None:
        self.flows = flows
        self.localizer = localizer
        self.state: ConversationState | None = None
        self.replies: list[Reply] = []
        self.send(Event.pressed(f"lang:{lang}"))
        assert self.state is not None and self.state.locale == lang

    def send(self, event: Event) -> list[Reply]:
        state, replies = advance(self.flows, self.state, event, self.localizer)
        assert state is not None, "the conversation was erased unexpectedly"
        self.state, self.replies = state, replies
        return replies

    def go(self, node_id: str) -> list[Reply]:
        """Open a node the way a free-text suggestion button does."""
        self.send(Event.pressed(f"g:{node_id}"))
        assert self.node == node_id
        return self.replies

    def press_to(self, target: str) -> list[Reply]:
        """Press the content button on the current screen that leads to ``target``."""
        node = self.flows.nodes[self.node]
        payload = next(
            (
                button.payload
                for button in self.buttons
                if button.payload is not None
                and button.payload.startswith(f"b:{node.id}:")
                and (pressed := press(self.flows, button.payload)) is not None
                and pressed[2] == target
            ),
            None,
        )
        assert payload is not None, f"no button from {node.id} to {target}"
        self.send(Event.pressed(payload))
        assert self.node == target, f"pressing the button to {target} showed {self.node}"
        return self.replies

    def press(self, payload: str) -> list[Reply]:
        assert payload in [b.payload for b in self.buttons], f"{payload} is not on the screen"
        return self.send(Event.pressed(payload))

    @property
    def node(self) -> str:
        assert self.state is not None and self.state.node is not None
        return self.state.node

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    @property
    def buttons(self) -> list[Button]:
        return [button for reply in self.replies for button in reply.buttons]

    @property
    def labels(self) -> list[str]:
        return [button.label for button in self.buttons]


def _walk(chat: Chat, start: str, allowed: set[str]) -> Iterator[tuple[str, str, list[str]]]:
    """Visit every node reachable from ``start`` through buttons, staying inside ``allowed``.

    Yields (node id, bubble text, button labels) for each screen, reached by pressing real buttons
    along the shortest path from ``start``.
    """
    paths: dict[str, list[str]] = {start: []}
    queue = deque([start])
    while queue:
        node_id = queue.popleft()
        chat.go(start)
        for step in paths[node_id]:
            chat.press_to(step)
        yield node_id, chat.text, chat.labels
        for button in chat.flows.nodes[node_id].buttons:
            if button.goto in allowed and button.goto not in paths:
                paths[button.goto] = [*paths[node_id], button.goto]
                queue.append(button.goto)


# -- every topic, both languages --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_screen_of_a_topic_shows_translated_text_date_and_sources(
    flows: Flows, localizer: BabelLocalizer, topic_nodes: list[Node], topic: str, lang: str
) -> None:
    ours = {node.id for node in topic_nodes}
    chat = Chat(flows, localizer, lang)
    translator = localizer.translator(lang)
    seen = []
    for node_id, text, labels in _walk(chat, topic, ours):
        node = flows.nodes[node_id]
        seen.append(node_id)
        for message in node.messages:
            shown = translator.gettext(message.text)
            assert shown in text, f"{node_id}: a message is missing"
            if lang == "es":
                assert shown != message.text, f"{node_id}: untranslated: {message.text!r}"
        for button in node.buttons:
            label = translator.gettext(button.label)
            assert label in labels, f"{node_id}: button {button.label!r} is not shown"
            if lang == "es":
                assert label != button.label, f"{node_id}: untranslated button {button.label!r}"
        if node.legal:
            assert REVIEWED[lang] in text, f"{node_id}: the reviewed date is not shown in {lang}"
            assert DISCLAIMER[lang] in text
            assert translator.gettext("📚 Sources") in labels
    assert len(seen) >= 1
    if topic != "compare":
        assert len(seen) >= 4, f"{topic} should lead to its sub-topics, reached only {seen}"


def test_every_topic_node_is_reachable_from_a_topic_menu(
    flows: Flows, topic_nodes: list[Node]
) -> None:
    reached: set[str] = set()
    queue = deque(TOPICS)
    while queue:
        node_id = queue.popleft()
        if node_id in reached or node_id not in flows.nodes:
            continue
        reached.add(node_id)
        queue.extend(b.goto for b in flows.nodes[node_id].buttons)
    assert {node.id for node in topic_nodes} <= reached


def test_the_topic_nodes_keep_their_ids_and_prefixes(topic_nodes: list[Node]) -> None:
    ids = {node.id for node in topic_nodes}
    assert set(TOPICS) <= ids
    for node in topic_nodes:
        assert node.id in TOPICS or node.id.startswith(tuple(f"{t}_" for t in TOPICS)), node.id


# -- key facts, in each language ---------------------------------------------------------------------

KEY_FACTS: dict[str, dict[str, list[str]]] = {
    "withholding": {
        "es": ["suspensión de remoción", "vida o su libertad"],
        "en": ["Withholding of removal", "life or freedom"],
    },
    "withholding_what": {
        "es": ["lo más probable", "No tiene plazo de un año", "Formulario I-589"],
        "en": ["more likely than not", "no one-year deadline", "Form I-589"],
    },
    "withholding_limits": {
        "es": ["tarjeta verde", "familiares", "tercer país", "permiso de trabajo"],
        "en": ["green card", "family members", "third country", "work permit"],
    },
    "asylum_what": {
        "es": ["temor fundado", "posibilidad razonable"],
        "en": ["well-founded fear", "reasonable possibility"],
    },
    "asylum_grounds": {
        "es": ["raza", "religión", "nacionalidad", "opinión política", "grupo social determinado"],
        "en": ["race", "religion", "nationality", "political opinion", "particular social group"],
    },
    "asylum_crime": {
        "es": ["por lo general no basta", "2023", "Un abogado le puede decir si su historia"],
        "en": ["usually not enough", "2023", "A lawyer can tell you whether your story"],
    },
    "asylum_persecutor": {
        "es": ["no puede o no quiere controlar"],
        "en": ["unable or unwilling to control"],
    },
    "asylum_relocation": {"es": ["reubicación interna"], "en": ["internal relocation"]},
    "asylum_how": {
        "es": [
            "Asilo afirmativo",
            "Asilo defensivo",
            "USCIS",
            "juez de inmigración",
            "abril de 2025",
        ],
        "en": [
            "Affirmative asylum",
            "Defensive asylum",
            "USCIS",
            "immigration judge",
            "April 2025",
        ],
    },
    "asylum_deadline_info": {
        "es": ["un año", "última llegada", "excepciones", "suspensión de remoción"],
        "en": ["one year", "last arrival", "exceptions", "withholding of removal"],
    },
    "asylum_border": {
        "es": ["temor creíble", "posibilidad significativa", "20 de enero de 2025"],
        "en": ["Credible fear", "significant possibility", "January 20, 2025"],
    },
    "asylum_work": {
        "es": [
            "150 días",
            "180 días",
            "23 de febrero de 2026",
            "permiso de trabajo",
            "1 de enero de 2026",
            "560 dólares",
            "275 dólares",
        ],
        "en": [
            "150 days",
            "180 days",
            "February 23, 2026",
            "work permit",
            "January 1, 2026",
            "$560",
            "$275",
        ],
    },
    "asylum_granted": {
        "es": ["tarjeta verde", "I-730", "menores de 21"],
        "en": ["green card", "I-730", "under 21"],
    },
    "asylum_changes": {
        "es": [
            "2 de diciembre de 2025",
            "30 de marzo de 2026",
            "22 de julio de 2025",
            "100 dólares",
            "29 de mayo de 2026",
        ],
        "en": ["December 2, 2025", "March 30, 2026", "July 22, 2025", "$100", "May 29, 2026"],
    },
    "asylum_numbers": {
        "es": ["año fiscal 2022", "4%", "año fiscal 2024", "16.6%", "no son las posibilidades"],
        "en": [
            "fiscal year 2022",
            "4%",
            "fiscal year 2024",
            "16.6%",
            "not anyone's personal chances",
        ],
    },
    "cat": {"es": ["Convención contra la Tortura"], "en": ["Convention Against Torture"]},
    "cat_torture": {
        "es": ["a propósito", "funcionario público"],
        "en": ["on purpose", "public official"],
    },
    "cat_official": {
        "es": ["Aquiescencia", "ceguera voluntaria", "Matter of O-A-R-G-"],
        "en": ["Acquiescence", "willful blindness", "Matter of O-A-R-G-"],
    },
    "cat_grounds": {"es": ["La CAT no"], "en": ["CAT does not"]},
    "cat_forms": {
        "es": ["deferral of removal", "aplazamiento"],
        "en": ["deferral of removal", "detention"],
    },
    "admin_closure": {
        "es": ["No es ganar el caso", "no ha terminado"],
        "en": ["not a win", "not over"],
    },
    "admin_closure_what": {
        "es": ["29 de julio de 2024", "Ciudad Juárez"],
        "en": ["July 29, 2024", "Ciudad Juárez"],
    },
    "admin_closure_how": {"es": ["moción", "DHS"], "en": ["motion", "DHS"]},
    "admin_closure_limits": {
        "es": ["estatus legal", "permiso de trabajo"],
        "en": ["legal status", "work permit"],
    },
    "admin_closure_recalendar": {
        "es": ["cinco días", "EOIR-33/IC"],
        "en": ["five days", "EOIR-33/IC"],
    },
    "admin_closure_2025": {
        "es": ["Matter of B-N-K-", "detenido"],
        "en": ["Matter of B-N-K-", "detention"],
    },
    "compare": {
        "es": [
            "Asilo",
            "Suspensión de remoción",
            "Convención contra la Tortura",
            "Plazo: no tiene",
        ],
        "en": ["Asylum", "Withholding of removal", "Convention Against Torture", "Deadline: none"],
    },
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("node_id", sorted(KEY_FACTS))
def test_key_facts_are_said_in_each_language(
    flows: Flows, localizer: BabelLocalizer, node_id: str, lang: str
) -> None:
    chat = Chat(flows, localizer, lang)
    chat.go(node_id)
    for phrase in KEY_FACTS[node_id][lang]:
        assert phrase in chat.text, f"{node_id} ({lang}) should say {phrase!r}"


def test_spanish_withholding_screen_uses_the_agency_term(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    chat = Chat(flows, localizer, "es")
    chat.go("asylum")
    chat.press_to("asylum_more")
    chat.press_to("compare")
    chat.press_to("withholding")
    assert "suspensión de remoción" in chat.text
    assert "deportacion" not in _fold(chat.text)
    chat.press_to("withholding_what")
    assert "suspensión de remoción" in chat.text
    assert "deportacion" not in _fold(chat.text)


@pytest.mark.parametrize(("lang", "expected"), [("es", "un año"), ("en", "one year")])
def test_asylum_deadline_walk_mentions_one_year_and_links_the_calculator(
    flows: Flows, localizer: BabelLocalizer, lang: str, expected: str
) -> None:
    chat = Chat(flows, localizer, lang)
    chat.go("asylum")
    chat.press_to("asylum_deadline_info")
    assert expected in chat.text
    assert localizer.translator(lang).gettext("Count my one year") in chat.labels
    assert any(b.goto == "deadline" for b in flows.nodes["asylum_deadline_info"].buttons)


@pytest.mark.parametrize("lang", LANGS)
def test_sources_button_lists_the_cited_ids_and_citations(
    flows: Flows, localizer: BabelLocalizer, lang: str
) -> None:
    chat = Chat(flows, localizer, lang)
    chat.go("asylum")
    chat.press_to("asylum_what")
    chat.press_to("asylum_grounds")
    chat.press("src:asylum_grounds")
    for source_id in flows.nodes["asylum_grounds"].sources:
        assert f"• {source_id}:" in chat.text
    assert "INA §101(a)(42), §208(b)(1)" in chat.text
    doubt = {"es": "cita no está confirmada", "en": "citation is unconfirmed"}[lang]
    assert doubt in chat.text  # WOR-4 is listed with its doubt, in the reader's language
    summary = {"es": "El asilo protege", "en": "Asylum protects people"}[lang]
    assert summary in chat.text
    chat.press("nav:back")
    assert chat.node == "asylum_what"


@pytest.mark.parametrize("lang", LANGS)
def test_back_returns_through_the_topic_menu(
    flows: Flows, localizer: BabelLocalizer, lang: str
) -> None:
    chat = Chat(flows, localizer, lang)
    chat.go("cat")
    chat.press_to("cat_official")
    chat.press("nav:back")
    assert chat.node == "cat"
    assert localizer.translator(lang).gettext("Police or officials involved") in chat.labels


# -- writing rules -------------------------------------------------------------------------------------


def _spanish_catalog() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def test_spanish_catalog_never_uses_the_wrong_relief_names() -> None:
    forbidden = ("suspension de deportacion", "cancelacion de deportacion")
    for msgid, msgstr in _spanish_catalog().items():
        folded = _fold(msgstr)
        for term in forbidden:
            assert term not in folded, f"forbidden term {term!r} in the translation of {msgid!r}"


def test_topic_translations_compile_cleanly(topic_nodes: list[Node]) -> None:
    """Babel refuses a translation whose "%" looks like a placeholder ("4% of"); then the
    English would show to Spanish readers. Every topic string must pass Babel's own checks."""
    ours = {
        text
        for node in topic_nodes
        for text in (node.title, *(m.text for m in node.messages), *(b.label for b in node.buttons))
    }
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message, errors in catalog.check():
        assert not (errors and message.id in ours), f"{message.id!r}: {errors}"
    for message in catalog:
        if message.id in ours:
            assert "python-format" not in message.flags, (
                f"{message.id!r} is read as a format string"
            )


def _english_strings(flows: Flows) -> Iterator[tuple[str, str]]:
    for node in flows.nodes.values():
        yield node.id, node.title
        for message in node.messages:
            yield node.id, message.text
        for button in node.buttons:
            yield node.id, button.label
    for source in flows.sources.values():
        yield source.id, source.summary


def test_english_content_never_promises_an_outcome(flows: Flows) -> None:
    for where, text in _english_strings(flows):
        lowered = text.lower().replace("’", "'")
        for phrase in (
            "you qualify",
            "you will get",
            "you'll get",
            "you will win",
            "you are eligible",
        ):
            assert phrase not in lowered, f"{where}: {phrase!r} in {text!r}"


def test_spanish_topic_text_never_promises_an_outcome(
    localizer: BabelLocalizer, topic_nodes: list[Node]
) -> None:
    es = localizer.translator("es")
    for node in topic_nodes:
        for message in node.messages:
            folded = _fold(es.gettext(message.text))
            for phrase in (
                "usted califica",
                "usted va a obtener",
                "usted obtendra",
                "usted va a ganar",
                "usted recibira",
            ):
                assert phrase not in folded, f"{node.id}: {phrase!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_fits_the_limit(flows: Flows, localizer: BabelLocalizer, lang: str) -> None:
    translator = localizer.translator(lang)
    for node in flows.nodes.values():
        for message in node.messages:
            shown = translator.gettext(message.text)
            assert len(shown) <= MAX_MESSAGE, f"{node.id} ({lang}): {len(shown)} characters"


@pytest.mark.parametrize("lang", LANGS)
def test_topic_buttons_and_titles_fit_a_small_phone(
    localizer: BabelLocalizer, topic_nodes: list[Node], lang: str
) -> None:
    translator = localizer.translator(lang)
    for node in topic_nodes:
        title = translator.gettext(node.title)
        assert len(title) <= MAX_LABEL, f"{node.id} ({lang}) title: {title!r}"
        for button in node.buttons:
            label = translator.gettext(button.label)
            assert len(label) <= MAX_LABEL, f"{node.id} ({lang}) button: {label!r}"


def test_topic_numbers_carry_their_year(topic_nodes: list[Node]) -> None:
    for node in topic_nodes:
        for message in node.messages:
            if "%" in message.text:
                assert re.search(r"\b20\d\d\b", message.text), (
                    f"{node.id}: a percentage without a year"
                )


def test_topic_menus_and_main_subtopics_have_keywords_in_both_languages(
    topic_nodes: list[Node],
) -> None:
    with_keywords = [node for node in topic_nodes if node.keywords]
    for topic in TOPICS:
        node = next(n for n in topic_nodes if n.id == topic)
        assert node.keywords.get("en") and node.keywords.get("es"), topic
    assert len(with_keywords) >= len(topic_nodes) - 2
    withholding = next(n for n in topic_nodes if n.id == "withholding")
    assert {"suspension de remocion", "suspensión de remoción"} <= set(withholding.keywords["es"])


# -- sources ---------------------------------------------------------------------------------------------


def test_every_legal_node_has_known_sources_and_a_reviewed_date(flows: Flows) -> None:
    assert flows.sources, "flows/sources.yaml is missing or empty"
    for node in flows.nodes.values():
        if not node.legal:
            continue
        assert node.reviewed is not None, f"{node.id}: no reviewed date"
        assert node.sources, f"{node.id}: a legal node must cite sources"
        for source_id in node.sources:
            assert source_id in flows.sources, f"{node.id}: unknown source {source_id}"


def test_topic_nodes_are_legal_and_reviewed_on_the_same_day(topic_nodes: list[Node]) -> None:
    for node in topic_nodes:
        if node.id == "asylum_more":  # a two-button menu that states no fact
            assert not node.sources
            continue
        assert node.legal, node.id
        assert node.reviewed is not None and node.reviewed.isoformat() == "2026-12-01", node.id


def _facts() -> dict[str, tuple[set[str], str]]:
    """Fact id -> (every confidence mark in its entry, its text), read from the shared facts file."""
    if not FACTS_FILE.exists():
        pytest.skip(
            f"the shared facts file is not here ({FACTS_FILE}); cannot cross-check source marks"
        )
    facts: dict[str, tuple[set[str], str]] = {}
    current: str | None = None
    for line in FACTS_FILE.read_text(encoding="utf-8").splitlines():
        start = re.match(r"^- ([A-Z]+-\d+[a-z]?) \[([GS?])\]", line)
        if start:
            current = start.group(1)
            facts[current] = ({start.group(2)}, line)
        elif current and line.startswith("  "):
            marks, text = facts[current]
            facts[current] = (marks, f"{text}\n{line}")
        else:
            current = None
    for fact_id, (marks, text) in facts.items():
        facts[fact_id] = (marks | set(re.findall(r"\[([GS?])\]", text)), text)
    return facts


def test_every_source_is_a_confirmed_fact_with_the_weaker_mark() -> None:
    facts = _facts()
    flows = load_flows(FLOWS_DIR).flows
    for source in flows.sources.values():
        assert source.id in facts, f"{source.id} is not in the legal-facts file"
        marks, text = facts[source.id]
        assert "?" not in marks, f"{source.id} is not confirmed ([?]) and must not be a source"
        expected = "G" if marks == {"G"} else "S"
        assert source.confidence == expected, (
            f"{source.id}: marks {marks}, listed as {source.confidence}"
        )
        if "citation unconfirmed" in text:
            # The doubt is said in words in the (translated) summary: citations are shown as
            # written in every language, so they hold only names, numbers and dates.
            assert "unconfirmed" in source.summary, f"{source.id}: say the citation is unconfirmed"


def test_every_confirmed_fact_is_available_as_a_source() -> None:
    facts = _facts()
    flows = load_flows(FLOWS_DIR).flows
    confirmed = {fact_id for fact_id, (marks, _) in facts.items() if "?" not in marks}
    assert confirmed <= set(flows.sources), f"missing: {sorted(confirmed - set(flows.sources))}"
    unconfirmed = set(facts) - confirmed
    assert unconfirmed.isdisjoint(flows.sources)
    assert "HELP-4" in unconfirmed


# -- free text reaches the topics through their keywords ------------------------------------------------

TYPED = [
    ("es", "suspension de remocion", "withholding"),
    ("es", "Suspensión de remoción", "withholding"),
    ("es", "cierre administrativo", "admin_closure"),
    ("es", "me torturaron", "cat"),
    ("es", "la policia trabaja con el cartel", "cat_official"),
    ("es", "me extorsionaban los narcos", "asylum_crime"),
    ("es", "temor creible", "asylum_border"),
    ("es", "asilio", "asylum"),
    ("en", "withholding of removal", "withholding"),
    ("en", "administrative closure", "admin_closure"),
    ("en", "credible fear interview", "asylum_border"),
    ("en", "work permit", "asylum_work"),
]


@pytest.mark.parametrize(("lang", "typed", "expected"), TYPED)
def test_typed_words_open_the_topic(
    flows: Flows, localizer: BabelLocalizer, lang: str, typed: str, expected: str
) -> None:
    nlu = pytest.importorskip("bot.nlu", reason="the free-text matcher is not installed")
    services = Services(matcher=nlu.KeywordMatcher.from_flows(flows, list(LANGS)))
    state, _ = advance(flows, None, Event.pressed(f"lang:{lang}"), localizer, services)
    state, replies = advance(flows, state, Event.typed(typed), localizer, services)
    assert state is not None
    shown = [b.payload for reply in replies for b in reply.buttons]
    assert state.node == expected or f"g:{expected}" in shown, f"{typed!r} led to {state.node}"
