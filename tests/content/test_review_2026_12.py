"""The December 2026 content review (``../shared/content/review-2026-12.md``), item by item.

Each test names the review items it guards and fails on the content as it was before the review:
a Spanish "$550", a green card that asylum "gives", CAT acquiescence described as officials who
"did nothing", indicative verbs where Spanish needs the subjunctive, no danger button on the main
menu, English notes in the Spanish Sources view, terms left unexplained. They read the real flows
and the real Spanish catalog, so a later edit that brings a problem back fails here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import bot.actions  # noqa: F401 - registers the built-in actions
from bot.directory.cards import render_card
from bot.directory.loader import parse_providers_file
from bot.directory.model import Provider
from bot.directory.search import Found, Freshness
from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Translator
from bot.engine.validate import ValidationConfig, check_flows
from bot.i18n.catalogs import BabelLocalizer, load_localizer

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "locales" / "es" / "LC_MESSAGES" / "messages.po"
LANGS = ("es", "en")
REVIEWED = dt.date(2026, 12, 1)
# The calculator's screens are reviewed on their own branch (review items 1 and 2).
NOT_OURS = {"deadline", "deadline_result", "deadline_exceptions"}


@pytest.fixture(scope="module")
def flows() -> Flows:
    result = load_flows(REPO / "flows")
    assert not result.errors, "\n".join(str(p) for p in result.errors)
    return result.flows


@pytest.fixture(scope="module")
def localizer() -> BabelLocalizer:
    return load_localizer(REPO / "locales", list(LANGS))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="es")


def screen(flows: Flows, localizer: BabelLocalizer, node_id: str, lang: str) -> str:
    """Every bubble of a screen as a person reads it (default answers)."""
    t = localizer.translator(lang)
    return "\n".join(t.gettext(m.text) for m in flows.nodes[node_id].messages)


def english(flows: Flows, node_id: str) -> str:
    return "\n".join(m.text for m in flows.nodes[node_id].messages)


def labels(flows: Flows, localizer: BabelLocalizer, node_id: str, lang: str) -> dict[str, str]:
    t = localizer.translator(lang)
    return {t.gettext(b.label): b.goto for b in flows.nodes[node_id].buttons}


def spanish_flow_strings(catalog: Catalog) -> list[tuple[str, str]]:
    """(node ids, Spanish) for every flow string except the calculator's."""
    found = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        nodes = [c.removeprefix("node ") for c in message.auto_comments if c.startswith("node ")]
        if nodes and set(nodes) <= NOT_OURS:
            continue
        found.append((",".join(nodes), str(message.string)))
    return found


# -- A. Safety ------------------------------------------------------------------------------------


@pytest.mark.parametrize("node_id", ["main", "safety"])
def test_3_danger_button_on_main_and_safety_in_both_languages(
    flows: Flows, localizer: BabelLocalizer, node_id: str
) -> None:
    assert labels(flows, localizer, node_id, "en").get("🆘 I am in danger") == "emergency"
    assert labels(flows, localizer, node_id, "es").get("🆘 Estoy en peligro") == "emergency"
    assert flows.nodes[node_id].buttons[0].goto == "emergency", "the danger button comes first"


def test_3_main_and_safety_still_fit_a_small_phone(flows: Flows) -> None:
    problems = check_flows(flows, ValidationConfig(today=REVIEWED))
    crowded = [p for p in problems if p.node in ("main", "safety") and "buttons" in p.message]
    assert crowded == []


def test_3_nothing_is_lost_from_the_main_menu(flows: Flows) -> None:
    """The questions moved one level down, under "Other protections", to make room."""
    main = {b.goto for b in flows.nodes["main"].buttons}
    assert {"asylum", "protections", "deadline", "court", "safety", "legal_aid"} <= main
    assert "screener" in {b.goto for b in flows.nodes["protections"].buttons}


def test_5_legal_aid_asks_about_the_person_who_was_detained(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    assert "a relative" in english(flows, "legal_aid_detained")
    assert "un familiar" in screen(flows, localizer, "legal_aid_detained", "es")


def test_6_court_hearing_says_a_missed_hearing_brings_a_removal_order(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    en = english(flows, "court_hearing")
    es = screen(flows, localizer, "court_hearing", "es")
    assert "arrests" in en and "removal order" in en and "go to your hearing" in en
    assert "Talk to a lawyer before the day of your hearing" in en
    assert "arrestos" in es and "orden de deportación" in es and "vaya a su audiencia" in es
    # the arrests are said before the advice, so nobody stops reading at "arrests"
    assert en.index("arrests") < en.index("go to your hearing")


# -- B. Accuracy ----------------------------------------------------------------------------------


def test_7_work_permit_fees_since_january_2026_with_the_warning(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    en = english(flows, "asylum_work")
    es = screen(flows, localizer, "asylum_work", "es")
    assert "Since January 1, 2026, the fee is $560" in en and "$275" in en
    assert "Desde el 1 de enero de 2026" in es and "560 dólares" in es and "275 dólares" in es
    assert "wrong fee is rejected" in en and "I-765" in en
    assert "rechazan la solicitud" in es
    everything = "\n".join(m.text for n in flows.nodes.values() for m in n.messages)
    assert "$550" not in everything


@pytest.mark.parametrize("node_id", ["asylum_border", "asylum_changes", "screener_result"])
def test_8_the_border_order_is_still_on_appeal(
    flows: Flows, localizer: BabelLocalizer, node_id: str
) -> None:
    en = english(flows, node_id).lower()
    es = screen(flows, localizer, node_id, "es").lower()
    assert "still on appeal" in en and "may still be applied" in en
    assert "sigue en apelación" in es
    assert "set it aside" not in en and "open again" not in en
    assert "dejaron sin efecto" not in es


def test_9_compare_says_apply_for_a_green_card(flows: Flows, localizer: BabelLocalizer) -> None:
    en = english(flows, "compare")
    es = screen(flows, localizer, "compare", "es")
    assert "may apply for a green card" in en and "does not mean getting one" in en
    assert "a green card after one year" not in en
    assert "puede solicitar la tarjeta verde" in es


@pytest.mark.parametrize("node_id", ["screener_officials", "screener_result", "cat_official"])
def test_10_cat_acquiescence_is_more_than_officials_doing_nothing(
    flows: Flows, localizer: BabelLocalizer, node_id: str
) -> None:
    es = screen(flows, localizer, node_id, "es")
    assert "no hicieron nada" not in es and "vista gorda" not in es
    assert "lo sabían antes" in es and "no lo impidieron" in es
    assert "look away" not in english(flows, node_id).lower()


def test_10_cat_official_names_matter_of_o_a_r_g(flows: Flows) -> None:
    en = english(flows, "cat_official")
    assert "O-A-R-G-" in en and '"unable or unwilling"' in en and "is not enough for CAT" in en


def test_11_matter_of_m_r_m_s_reads_the_right_way(flows: Flows, localizer: BabelLocalizer) -> None:
    assert "The cartel wanted the land." in english(flows, "asylum_crime")
    assert "lo que el cártel quería era la tierra" in screen(flows, localizer, "asylum_crime", "es")


def test_12_cat_is_about_the_risk_of_torture(flows: Flows) -> None:
    en = english(flows, "cat_official")
    assert "at risk of torture" in en and "harmed by cartels" not in en


@pytest.mark.parametrize("node_id", ["admin_closure_what", "screener_result"])
def test_13_closure_has_no_end_date(flows: Flows, localizer: BabelLocalizer, node_id: str) -> None:
    en = english(flows, node_id)
    es = screen(flows, localizer, node_id, "es")
    assert "for a while" not in en and "por un tiempo" not in es
    assert "no end date" in en and "sin fecha de fin" in es


def test_14_c_a_r_r_has_its_own_line_without_a_month(flows: Flows) -> None:
    lines = [m.text for m in flows.nodes["asylum_changes"].messages]
    carr = [line for line in lines if "C-A-R-R-" in line]
    assert len(carr) == 1 and "April" not in carr[0]
    assert not any("April 2025" in line and "I-589" in line for line in lines)


ENGLISH_NOTES = ("Secondary sources", "secondary source", "unconfirmed", "no citation", "quoting")


def test_15_the_spanish_sources_view_has_no_english_notes(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    leaks = []
    for node in flows.nodes.values():
        if not node.legal:
            continue
        state = ConversationState(locale="es", node=node.id)
        _, replies = advance(flows, state, Event.pressed(f"src:{node.id}"), localizer)
        text = "\n".join(r.text for r in replies)
        leaks += [f"{node.id}: {note}" for note in ENGLISH_NOTES if note in text]
    assert leaks == []


def test_15_citations_hold_only_names_numbers_and_dates(flows: Flows) -> None:
    words = re.compile(r"\b(sources?|unconfirmed|official|quoting|reported|effective|memo)\b", re.I)
    assert [s.id for s in flows.sources.values() if words.search(s.citation)] == []


def test_asy_14_and_asy_16_summaries_follow_the_revised_facts(flows: Flows) -> None:
    work = flows.sources["ASY-14"].summary
    assert "January 1, 2026" in work and "$560" in work and "$275" in work
    border = flows.sources["ASY-16"].summary
    assert "still on appeal" in border and "July 2025" in border


# -- C. Spanish -----------------------------------------------------------------------------------


def test_16_no_bare_dollar_sign_in_spanish(catalog: Catalog) -> None:
    bare = [text for _, text in spanish_flow_strings(catalog) if re.search(r"\$\s?\d", text)]
    assert bare == []


def test_16_every_amount_carries_the_date_it_holds_from(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    t = localizer.translator("es")
    undated = []
    for node in flows.nodes.values():
        if node.id in NOT_OURS:
            continue
        for message in node.messages:
            for text in (message.text, t.gettext(message.text)):
                has_amount = re.search(r"\$\d|\d+ dólares", text)
                if has_amount and not re.search(r"\b20\d\d\b", text):
                    undated.append(f"{node.id}: {text[:60]}")
    assert undated == []


SUBJUNCTIVE = {
    "admin_closure_what": "hasta que una de las partes le pida",
    "court_hearing": "una vez que el gobierno demuestre",
    "asylum_changes": "después de que el juez fije una fecha",
}


@pytest.mark.parametrize("node_id", sorted(SUBJUNCTIVE))
def test_17_subjunctive(flows: Flows, localizer: BabelLocalizer, node_id: str) -> None:
    assert SUBJUNCTIVE[node_id] in screen(flows, localizer, node_id, "es")


def test_17_no_indicative_where_the_subjunctive_belongs(catalog: Catalog) -> None:
    wrong = ("las partes le pide", "el gobierno demuestra", "el juez pone una fecha")
    found = [text for _, text in spanish_flow_strings(catalog) if any(w in text for w in wrong)]
    assert found == []


def test_18_lo_for_a_direct_object(flows: Flows, localizer: BabelLocalizer) -> None:
    assert "lo obliga" in screen(flows, localizer, "emergency", "es")
    assert "le obliga" not in screen(flows, localizer, "emergency", "es")
    assert "representarlo" in screen(flows, localizer, "safety_notarios", "es")
    assert "lo engañó" in screen(flows, localizer, "safety_notarios", "es")
    assert "lo amenazó" in screen(flows, localizer, "screener_who", "es")
    assert "lo llevan de regreso" in screen(flows, localizer, "help", "es")


def test_19_screener_why_button(flows: Flows, localizer: BabelLocalizer) -> None:
    assert "Me negué o los denuncié" in labels(flows, localizer, "screener_why", "es")


def test_20_one_term_each(catalog: Catalog) -> None:
    spanish = [text for _, text in spanish_flow_strings(catalog)]
    assert [t for t in spanish if "autoridad" in t] == []  # «funcionarios»
    assert [t for t in spanish if "orden de remoción" in t] == []  # «orden de deportación»
    assert [t for t in spanish if re.search(r"\ba DHS\b", t)] == []  # «al DHS»
    assert [t for t in spanish if "qué aplica" in t or "podría aplicar " in t] == []


def test_21_deferral_of_removal(flows: Flows, localizer: BabelLocalizer) -> None:
    es = screen(flows, localizer, "cat_forms", "es")
    assert "aplazamiento (o diferimiento) de la remoción" in es and "deferral of removal" in es


def test_22_cartel_victims_who_lived_near_ciudad_juarez(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    es = screen(flows, localizer, "admin_closure_what", "es")
    assert "víctimas de cárteles que vivían en pueblos del campo cerca de Ciudad Juárez" in es


@pytest.mark.parametrize("node_id", ["legal_aid_detained", "screener_detained"])
def test_23_detenido_o_detenida(flows: Flows, localizer: BabelLocalizer, node_id: str) -> None:
    assert "¿Está detenido o detenida ahora" in screen(flows, localizer, node_id, "es")


def test_24_groups_that_are_not_the_government(
    flows: Flows, localizer: BabelLocalizer, catalog: Catalog
) -> None:
    es = screen(flows, localizer, "asylum_persecutor", "es")
    assert "personas o grupos que no son del gobierno" in es
    assert [t for _, t in spanish_flow_strings(catalog) if "particulares" in t] == []


def test_25_both_languages_say_the_same(flows: Flows, localizer: BabelLocalizer) -> None:
    assert "A nuclear family is parents and their children." in english(flows, "asylum_grounds")
    assert "Acquiescence means" in english(flows, "cat_torture")
    assert "Aquiescencia quiere decir" in screen(flows, localizer, "cat_torture", "es")
    assert "dismiss" in english(flows, "admin_closure_2025")
    assert "desestim" in screen(flows, localizer, "admin_closure_2025", "es")
    keywords = flows.nodes["court_hearing"].keywords
    assert "removal order" in keywords["en"] and "orden de remoción" in keywords["es"]
    assert "deportation order" in keywords["en"] and "orden de deportación" in keywords["es"]


# -- D. Plain language ----------------------------------------------------------------------------

EXPLAINED = {
    # term as it appears in English → a phrase that explains it on the same screen
    "persecut": "Persecution means",
    "proclamation": "the President signed an order (a proclamation)",
    "fee waiver": "You cannot ask to skip these fees",
    "particularly serious crime": "legal term for some serious crimes",
    "acquiescence": "knew",
    "ICE": "ICE is the immigration agency",
    "ORR": "ORR is the government office",
    "TRAC": "TRAC, a group that studies court data",
    "fiscal year 2022": "October 2021 to September 2022",
    "state bar": "the office that gives lawyers their license",
    "state attorney general": "top law office",
}
WHERE = {
    "persecut": ["asylum"],
    "proclamation": ["asylum_border", "asylum_changes"],
    "fee waiver": ["asylum_changes"],
    "particularly serious crime": ["asylum_denied", "cat_forms"],
    "acquiescence": ["cat_torture", "cat_official", "compare"],
    "ICE": ["safety_scams", "legal_aid_national"],
    "ORR": ["legal_aid_national"],
    "TRAC": ["asylum_numbers"],
    "fiscal year 2022": ["asylum_numbers"],
    "state bar": ["safety_notarios", "safety_scams"],
    "state attorney general": ["safety_notarios", "legal_aid_national"],
}


@pytest.mark.parametrize("term", sorted(EXPLAINED))
def test_26_terms_are_explained_where_they_appear(flows: Flows, term: str) -> None:
    for node_id in WHERE[term]:
        text = english(flows, node_id)
        assert term in text, f"{node_id} should use {term!r}"
        assert EXPLAINED[term] in text, f"{node_id} uses {term!r} without explaining it"


# The files this review rewrote; new topic files (review section F) are written on their own branch.
REVIEWED_FILES = {
    "admin_closure.yaml",
    "asylum.yaml",
    "cat.yaml",
    "compare.yaml",
    "court.yaml",
    "legal_aid.yaml",
    "main.yaml",
    "safety.yaml",
    "screener.yaml",
    "withholding.yaml",
}


def test_26_words_that_were_replaced_are_gone(flows: Flows) -> None:
    reviewed = [
        n for n in flows.nodes.values() if n.origin and Path(n.origin.file).name in REVIEWED_FILES
    ]
    assert len(reviewed) > 50
    text = "\n".join(m.text for n in reviewed for m in n.messages)
    for gone in ("set it aside", "set aside", "are exempt", "the law presumes"):
        assert gone not in text, gone


def test_26_the_screener_button_says_what_it_is_for(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    every_label = [b.label for n in flows.nodes.values() for b in n.buttons]
    assert "Which might I ask about?" not in every_label
    for node_id in ("protections", "compare", "asylum_numbers"):
        assert labels(flows, localizer, node_id, "en").get("What can I ask a lawyer about?") == (
            "screener"
        )
        assert labels(flows, localizer, node_id, "es").get("Qué preguntarle a un abogado") == (
            "screener"
        )


def test_every_legal_screen_we_reviewed_carries_the_review_date(flows: Flows) -> None:
    stale = [
        n.id
        for n in flows.nodes.values()
        if n.legal and n.id not in NOT_OURS and n.reviewed != REVIEWED
    ]
    assert stale == []


# -- E. Legal-aid directory -----------------------------------------------------------------------


def _providers() -> dict[str, Provider]:
    entries, problems = parse_providers_file(REPO / "flows" / "legal_aid" / "providers.yaml")
    assert problems == []
    return {entry.item.id: entry.item for entry in entries}


def _card(provider: Provider, t: Translator) -> str:
    return render_card(Found(provider, Freshness.UNVERIFIED), t)


CAVEATS = {
    "asap": ("does not represent people in court", "No representa a las personas en la corte"),
    "trla": ("For people with low income", "Para personas de bajos ingresos"),
    "american_gateways": ("For people with low income", "Para personas de bajos ingresos"),
    "houston_immigrant_hotline": ("dates from about 2018", "es de alrededor de 2018"),
}


@pytest.mark.parametrize("provider_id", sorted(CAVEATS))
def test_28_cards_say_what_people_must_know(localizer: BabelLocalizer, provider_id: str) -> None:
    provider = _providers()[provider_id]
    en, es = CAVEATS[provider_id]
    assert en in _card(provider, localizer.translator("en"))
    assert es in _card(provider, localizer.translator("es"))


def test_28_other_cards_carry_no_caveat(localizer: BabelLocalizer) -> None:
    others = [p for pid, p in _providers().items() if pid not in CAVEATS]
    assert others and all(not p.caveats for p in others)
    assert "❗" not in _card(others[0], localizer.translator("es"))
