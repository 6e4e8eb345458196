"""The topics added after the December 2026 review (section F), as people read them.

Leaving the United States (a pending case, the CBP Home offers, voluntary departure), appealing a
judge's denial, a detained relative, telling USCIS about a move, interpreters, the cases a news
report names, and why the 2022 grant rates look so low. Conversations go through the real engine on
the real ``flows/`` and ``locales/``, in Spanish and English, pressing the buttons a person would.
The checks are the ones that protect someone: the right facts cited, the appeal deadline said as
"received within 30 days", no CBP Home amount ever, free legal help before leaving, a way back to
the main menu on every screen, and every new screen reachable from the main menu and by typing.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

import bot.actions  # noqa: F401 - registers the built-in actions that other nodes use
from bot.content import Content, load_content
from bot.engine.model import Flows
from bot.engine.runner import MAIN, advance, button_payload
from bot.engine.types import ConversationState, Event, Reply
from bot.i18n.catalogs import BabelLocalizer
from bot.text import fold_accents

REPO = Path(__file__).resolve().parents[2]
FLOWS_DIR = REPO / "flows"
LOCALES_DIR = REPO / "locales"
CATALOG = LOCALES_DIR / "es" / "LC_MESSAGES" / "messages.po"
NATIONAL = FLOWS_DIR / "legal_aid" / "national.yaml"
FACTS_FILE = REPO.parent / "shared" / "content" / "legal-facts.md"
LANGS = ("es", "en")
REVIEWED = {"es": "1 de diciembre de 2026", "en": "December 1, 2026"}

CITES: dict[str, set[str]] = {
    "leave": {"LEAVE-1", "LEAVE-2"},
    "leave_case": {"LEAVE-1"},
    "leave_cbp_home": {"LEAVE-2"},
    "leave_voluntary": {"LEAVE-3"},
    "appeal": {"APP-1"},
    "detained_relative": {"CRT-2c", "HELP-1", "HELP-2", "HELP-3", "CRT-1"},
    "address_change": {"ADDR-1", "CRT-2b"},
    "interpreter": {"INT-1"},
    "profiles": {"PROF-1"},
    "grant_rates": {"NUM-2"},
}
"""Each new legal screen and the facts it must cite (it may cite more)."""
NEW_SCREENS = ("more_topics", *CITES)
LEAVING = ("leave", "leave_case", "leave_cbp_home", "leave_voluntary")

LINKS = {
    ("protections", "more_topics"),
    ("more_topics", "leave"),
    ("more_topics", "appeal"),
    ("more_topics", "detained_relative"),
    ("more_topics", "address_change"),
    ("more_topics", "interpreter"),
    ("more_topics", "profiles"),
    ("asylum_denied", "appeal"),
    ("court_address", "address_change"),
    ("court_bring", "interpreter"),
    ("legal_aid_detained", "detained_relative"),
    ("asylum_numbers", "grant_rates"),
    ("asylum_crime", "profiles"),
    ("detained_relative", "legal_aid"),
}
"""Buttons that make the new screens reachable from the menus people already use."""


@pytest.fixture(scope="module")
def content() -> Content:
    """The real flows, catalogs and services (the free-text matcher) as the helpline loads them."""
    return load_content(FLOWS_DIR, LOCALES_DIR, list(LANGS))


def _fold(text: str) -> str:
    """Lowercase without accents, so "Suspensión" and "suspension" compare equal."""
    return fold_accents(text).lower()


class Chat:
    """One person's conversation through the real engine, keeping the state like a channel."""

    def __init__(self, flows: Flows, localizer: BabelLocalizer, lang: str) -> None:
        self.flows, self.localizer = flows, localizer
        self.state: ConversationState | None = None
        self.replies: list[Reply] = []
        self.send(Event.pressed(f"lang:{lang}"))

    def send(self, event: Event) -> None:
        state, replies = advance(self.flows, self.state, event, self.localizer)
        assert state is not None
        self.state, self.replies = state, replies

    @property
    def node(self) -> str | None:
        return self.state.node if self.state else None

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    @property
    def payloads(self) -> list[str]:
        return [b.payload for r in self.replies for b in r.buttons if b.payload is not None]

    def go(self, node_id: str) -> None:
        self.send(Event.pressed(f"g:{node_id}"))
        assert self.node == node_id

    def press_to(self, target: str) -> None:
        """Press the content button of the current screen that leads to ``target``."""
        assert self.node is not None
        node = self.flows.nodes[self.node]
        button = next(b for b in node.buttons if b.goto == target)
        payload = button_payload(node, button)
        assert payload in self.payloads, f"{node.id}: the button to {target} is not shown"
        self.send(Event.pressed(payload))
        assert self.node == target


def _path_from_main(flows: Flows, target: str) -> list[str]:
    """The shortest chain of button presses from the main menu to ``target``."""
    paths: dict[str, list[str]] = {MAIN: []}
    queue = deque([MAIN])
    while queue:
        node_id = queue.popleft()
        for button in flows.nodes[node_id].buttons:
            if button.goto in flows.nodes and button.goto not in paths:
                paths[button.goto] = [*paths[node_id], button.goto]
                queue.append(button.goto)
    assert target in paths, f"{target} cannot be reached from the main menu"
    return paths[target]


def _shown(flows: Flows, localizer: BabelLocalizer, node_id: str, lang: str) -> str:
    chat = Chat(flows, localizer, lang)
    chat.go(node_id)
    return chat.text


def _fact_marks() -> dict[str, str]:
    """Each fact id of the shared legal-facts file and its weakest mark (? < S < G)."""
    marks: dict[str, str] = {}
    current = None
    for line in FACTS_FILE.read_text(encoding="utf-8").splitlines():
        found = re.match(r"- ([A-Z]+-\d+[a-z]?) ", line)
        if found:
            current = found.group(1)
            marks[current] = ""
        elif not line.startswith("  "):
            current = None
        if current is not None:
            marks[current] += "".join(re.findall(r"\[([GS?])\]", line))
    return {fact: next((m for m in "?SG" if m in found), "?") for fact, found in marks.items()}


# -- the screens exist, cite the right facts and are reachable ------------------------------------


def test_every_new_legal_screen_cites_its_facts_with_todays_review(flows: Flows) -> None:
    for node_id, facts in CITES.items():
        node = flows.nodes[node_id]
        assert node.legal, node_id
        assert facts <= set(node.sources), f"{node_id} cites {node.sources}, needs {facts}"
        assert str(node.reviewed) == "2026-12-01", node_id
        for fact in node.sources:
            assert fact in flows.sources, f"{node_id}: {fact} is not in flows/sources.yaml"


@pytest.mark.skipif(not FACTS_FILE.exists(), reason="the shared legal-facts file is not here")
def test_cited_facts_are_confirmed_and_marked_as_in_the_facts_file(flows: Flows) -> None:
    marks = _fact_marks()
    for node_id in CITES:
        for fact in flows.nodes[node_id].sources:
            assert fact in marks, f"{node_id}: {fact} is not in legal-facts.md"
            assert marks[fact] != "?", f"{node_id}: {fact} is not confirmed ([?])"
            assert flows.sources[fact].confidence == marks[fact], fact


def test_the_new_screens_are_linked_from_the_existing_menus(flows: Flows) -> None:
    for source, target in LINKS:
        assert target in {b.goto for b in flows.nodes[source].buttons}, f"{source} → {target}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("node_id", NEW_SCREENS)
def test_each_new_screen_is_reached_from_main_by_pressing_buttons(
    flows: Flows, localizer: BabelLocalizer, node_id: str, lang: str
) -> None:
    chat = Chat(flows, localizer, lang)
    chat.go(MAIN)
    for step in _path_from_main(flows, node_id):
        chat.press_to(step)
    translator = localizer.translator(lang)
    node = flows.nodes[node_id]
    for message in node.messages:
        assert translator.gettext(message.text) in chat.text
    assert "nav:menu" in chat.payloads, f"{node_id}: no Main menu button"
    if node.legal:
        assert REVIEWED[lang] in chat.text, f"{node_id}: review date not shown in {lang}"
        assert f"src:{node_id}" in chat.payloads


def test_every_new_screen_is_translated_and_not_fuzzy(flows: Flows) -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for node_id in NEW_SCREENS:
        node = flows.nodes[node_id]
        texts = [node.title, *(m.text for m in node.messages), *(b.label for b in node.buttons)]
        for text in texts:
            entry = catalog.get(text)
            assert entry is not None and entry.string, f"{node_id}: no Spanish for {text!r}"
            assert not entry.fuzzy, f"{node_id}: fuzzy Spanish for {text!r}"
            assert entry.string != text or text.startswith("http"), f"{node_id}: {text!r}"
    for fact in ("LEAVE-1", "LEAVE-2", "LEAVE-3", "APP-1", "ADDR-1", "INT-1", "PROF-1"):
        entry = catalog.get(flows.sources[fact].summary)
        assert entry is not None and entry.string and not entry.fuzzy, fact


# -- what the screens must (and must never) say -----------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("en", ["30 calendar days", "must receive", "Mailing it on time is not enough", "at once"]),
        ("es", ["30 días", "debe recibir", "No basta con mandarlo por correo", "de inmediato"]),
    ],
)
def test_appeal_says_received_within_30_days_and_ask_a_lawyer_now(
    flows: Flows, localizer: BabelLocalizer, lang: str, phrases: list[str]
) -> None:
    text = _shown(flows, localizer, "appeal", lang)
    for phrase in phrases:
        assert phrase in text, f"appeal ({lang}) should say {phrase!r}"
    assert "EOIR-26" in text
    assert not re.search(r"\$\s*\d|\d+\s*(dollars|dólares)", text), "never quote an appeal fee"


_AMOUNT = re.compile(r"\$|\bUSD\b|dollars?\b|d[oó]lar(es)?\b|pesos?\b|\d[\d,.]*\s*(mil|k)\b", re.I)


@pytest.mark.parametrize("lang", LANGS)
def test_cbp_home_never_quotes_an_amount(
    flows: Flows, localizer: BabelLocalizer, lang: str
) -> None:
    text = _shown(flows, localizer, "leave_cbp_home", lang)
    assert "CBP Home" in text
    assert not _AMOUNT.search(text), f"an amount on the CBP Home screen: {_AMOUNT.search(text)}"
    numbers = set(re.findall(r"\d+(?:[.,]\d+)*", text)) - {"2025", "1", "2026"}
    assert not numbers, f"numbers on the CBP Home screen (an amount?): {numbers}"
    translator = localizer.translator(lang)
    assert not _AMOUNT.search(translator.gettext(flows.sources["LEAVE-2"].summary))


@pytest.mark.parametrize(
    ("lang", "advice"), [("en", "talk to a free legal service"), ("es", "servicio legal gratuito")]
)
@pytest.mark.parametrize("node_id", LEAVING)
def test_every_leaving_screen_says_talk_to_free_legal_help_before_deciding(
    flows: Flows, localizer: BabelLocalizer, node_id: str, lang: str, advice: str
) -> None:
    text = _shown(flows, localizer, node_id, lang)
    assert advice in text.lower(), f"{node_id} ({lang})"
    assert "legal_aid" in {b.goto for b in flows.nodes[node_id].buttons}


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("en", ["120 days", "60 days", "$1,000 to $5,000", "ten years"]),
        ("es", ["120 días", "60 días", "1,000 a 5,000 dólares", "diez años"]),
    ],
)
def test_voluntary_departure_says_its_limits_and_penalties(
    flows: Flows, localizer: BabelLocalizer, lang: str, phrases: list[str]
) -> None:
    text = _shown(flows, localizer, "leave_voluntary", lang)
    for phrase in phrases:
        assert phrase in text, f"leave_voluntary ({lang}) should say {phrase!r}"


@pytest.mark.parametrize(
    ("node_id", "phrases"),
    [
        ("leave_case", {"en": ["advance parole", "abandoned"], "es": ["advance parole", "abandonó"]}),
        ("address_change", {"en": ["10 days", "AR-11", "five days"], "es": ["10 días", "AR-11", "cinco días"]}),
        ("interpreter", {"en": ["no cost", "Indigenous languages"], "es": ["sin costo", "lenguas indígenas"]}),
        ("grant_rates", {"en": ["abandoned", "withdrawn", "not your own chances"], "es": ["abandonados", "retirados", "no son sus propias posibilidades"]}),
        ("profiles", {"en": ["disappeared", "police officers", "informants", "not rules"], "es": ["desaparecidas", "policías", "informantes", "no reglas"]}),
    ],
)  # fmt: skip
@pytest.mark.parametrize("lang", LANGS)
def test_key_facts_of_the_new_screens_in_each_language(
    flows: Flows, localizer: BabelLocalizer, node_id: str, phrases: dict[str, list[str]], lang: str
) -> None:
    text = _shown(flows, localizer, node_id, lang)
    for phrase in phrases[lang]:
        assert phrase in text, f"{node_id} ({lang}) should say {phrase!r}"


def test_spanish_of_the_new_screens_writes_dollars_in_words_and_never_promises(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    promises = ("va a ganar", "usted califica", "le van a dar", "seguro que", "garantiza")
    for node_id in NEW_SCREENS:
        text = _shown(flows, localizer, node_id, "es")
        assert not re.search(r"\$\s*\d", text), f"{node_id}: a bare $ in Spanish"
        assert not any(p in _fold(text) for p in promises), node_id
        english = _shown(flows, localizer, node_id, "en").lower()
        assert "you will win" not in english and "you qualify" not in english, node_id


def test_detained_relative_gives_the_locator_and_lines_exactly_as_the_directory(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    national = {item["id"]: item for item in yaml.safe_load(NATIONAL.read_text())["national"]}
    expected = [national["ice_locator"]["website"]]
    for key in ("ice_detention_line", "orr_parent_hotline", "eoir_case_line"):
        digits = national[key]["phone"].removeprefix("+1")
        expected.append(f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}")
    for lang in LANGS:
        text = _shown(flows, localizer, "detained_relative", lang)
        for item in expected:
            assert item in text, f"detained_relative ({lang}) lacks {item}"


# -- reachable by typing ----------------------------------------------------------------------------


@pytest.mark.parametrize("node_id", NEW_SCREENS)
def test_each_new_screen_has_keywords_and_examples_in_both_languages(
    flows: Flows, node_id: str
) -> None:
    node = flows.nodes[node_id]
    for lang in LANGS:
        assert node.keywords.get(lang), f"{node_id}: no {lang} keywords"
        examples = node.examples.get(lang, [])
        assert len(examples) >= 8, f"{node_id}: {len(examples)} {lang} examples, need 8"
        assert len(set(examples)) == len(examples), f"{node_id}: repeated {lang} examples"
        assert all(len(e.split()) >= 3 for e in examples), f"{node_id}: an example is too short"


def test_no_example_sentence_is_used_for_two_screens(flows: Flows) -> None:
    owner: dict[str, str] = {}
    for node in flows.nodes.values():
        for examples in node.examples.values():
            for example in examples:
                key = _fold(example).strip(" ?!.")
                assert owner.setdefault(key, node.id) == node.id, example


TYPED = {
    "leave": ["me quiero regresar a mi pais", "what happens if i self deport"],
    "leave_case": ["que es el advance parole", "can i travel outside the us with asylum pending"],
    "leave_cbp_home": ["que es cbp home", "is the cbp home exit bonus real"],
    "leave_voluntary": ["que es la salida voluntaria", "what is voluntary departure"],
    "appeal": ["el juez me nego el asilo, puedo apelar?", "how do i appeal to the bia"],
    "detained_relative": ["detuvieron a mi esposo", "they arrested my husband", "se lo llevo ICE"],
    "address_change": ["me mude, tengo que avisar a uscis?", "what is form ar-11"],
    "interpreter": ["necesito interprete en mixteco", "i need an interpreter in court"],
    "profiles": ["mi familiar desaparecio en mexico", "i was a police officer in mexico"],
    "grant_rates": ["por que las cifras de asilo son tan bajas", "why are grant rates so low"],
}
"""Short messages of the kind the review quotes; each must reach its screen by typing. Review
item 5: a detained relative ("detuvieron a mi esposo") is not an emergency and not asylum."""


@pytest.mark.parametrize(
    ("node_id", "message"), [(node, text) for node, texts in TYPED.items() for text in texts]
)
def test_typing_reaches_the_new_screen_or_offers_it(
    content: Content, node_id: str, message: str
) -> None:
    """With the real content and the matcher the helpline builds for it, on every channel."""
    state, _ = advance(content.flows, None, Event.pressed("lang:es"), content.localizer)
    state, replies = advance(
        content.flows, state, Event.typed(message), content.localizer, content.services
    )
    assert state is not None
    offered = {b.payload for r in replies for b in r.buttons}
    assert state.node == node_id or f"g:{node_id}" in offered, (
        f"{message!r} showed {state.node}, offered {sorted(p for p in offered if p)}"
    )
