"""The validator keeps the content true (issue 9, item 6) and checks dated notices.

One tiny broken fixture per rule in ``tests/data/broken/<rule>/flows/``; catalogs are built in
``tmp_path`` from the strings the content needs, as in ``test_validate.py``, with exactly one
thing broken. Each test asserts the whole message an editor reads.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.engine.content_rules import money_without_date
from bot.engine.loader import load_flows
from bot.engine.validate import ValidationConfig, translatable_strings, validate_content

DATA = Path(__file__).resolve().parent.parent / "data"
BROKEN = DATA / "broken"
VALID = DATA / "tooling" / "valid"
TODAY = dt.date(2026, 11, 23)
CONFIG = ValidationConfig(today=TODAY, actions={"deadline_calculator"})
PO = "locales/es/LC_MESSAGES/messages.po"


def problems_of(root: Path, languages: list[str] | None = None) -> list[str]:
    found = validate_content(root / "flows", root / "locales", languages or ["en"], CONFIG)
    return [str(p) for p in found]


def copy_content(source: Path, target: Path) -> Path:
    shutil.copytree(source / "flows", target / "flows")
    (target / "locales").mkdir(exist_ok=True)
    return target


def write_catalog(root: Path, replace: dict[str, str] | None = None) -> Path:
    """A complete Spanish catalog ("ES " + English), with some translations replaced."""
    flows = load_flows(root / "flows").flows
    catalog = Catalog(locale="es")
    for msgid in translatable_strings(flows):
        catalog.add(msgid, (replace or {}).get(msgid, f"ES {msgid}"))
    path = root / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return path


def po_line(path: Path, msgid: str) -> int:
    needle = f'msgid "{msgid}"'
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line == needle:
            return number
    raise AssertionError(f"{msgid!r} not in {path}")


# -- facts ---------------------------------------------------------------------------------------


def test_a_legal_screen_citing_an_unconfirmed_fact_fails() -> None:
    assert problems_of(BROKEN / "cites_unconfirmed") == [
        'flows/main.yaml:18: node "asylum": this screen cites "HELP-4", a fact marked "?" (not '
        'confirmed): people must not read it as fact. Remove it from "sources:" and say "ask a '
        'lawyer" instead'
    ]


def test_a_legal_screen_citing_an_unknown_fact_fails(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    path = root / "flows" / "main.yaml"
    path.write_text(path.read_text().replace("sources: [ASY-1]", "sources: [ASY-1, ASY-99]"))
    assert problems_of(root) == [
        'flows/main.yaml:18: node "asylum": unknown source "ASY-99" (add it to flows/sources.yaml)'
    ]


# -- money ---------------------------------------------------------------------------------------


def test_an_amount_without_a_date_in_the_same_message_fails() -> None:
    assert problems_of(BROKEN / "money_without_date") == [
        'flows/main.yaml:25: node "asylum": this message gives an amount of money ("$560") with no '
        'date: fees change every year, so say from when it holds in the same message, e.g. "since 1 '
        'January 2026" (the date of the fact in legal-facts.md)'
    ]


def test_amounts_are_recognised_in_both_languages() -> None:
    assert money_without_date("The fee is $100.") == "$100"
    assert money_without_date("It costs 560 dollars.") == "560 dollars"
    assert money_without_date("Cuesta 560 dólares.") == "560 dólares"
    assert money_without_date("Since 2026 it costs 560 dollars.") is None
    assert money_without_date("Call 1-800-898-7180 or text 233733.") is None


def test_a_spanish_translation_that_adds_an_undated_amount_fails(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    msgid = "Asylum protects people who fear harm."
    po = write_catalog(root, {msgid: "El asilo protege a personas con miedo. Cuesta 100 dólares."})
    found = problems_of(root, ["es", "en"])
    assert (
        f'{PO}:{po_line(po, msgid)}: node "asylum": the Spanish translation of this message '
        '(flows/main.yaml:24) gives an amount of money ("100 dólares") with no date: fees change '
        'every year, so say from when it holds in the same message, e.g. "since 1 January 2026" '
        "(the date of the fact in legal-facts.md)"
    ) in found
    # The translation also adds a number the English does not have.
    assert len(found) == 2 and "not in the English: 100" in " ".join(found)


def test_a_bare_dollar_sign_in_spanish_fails(tmp_path: Path) -> None:
    root = copy_content(BROKEN / "spanish_dollar", tmp_path)
    msgid = "Since 1 January 2026 the first work permit costs 560 dollars."
    po = write_catalog(
        root, {msgid: "Desde el 1 de enero de 2026, el primer permiso de trabajo cuesta $560."}
    )
    assert problems_of(root, ["es", "en"]) == [
        f'{PO}:{po_line(po, msgid)}: node "asylum": the Spanish translation writes "$560": in Mexico '
        'and Central America "$" means pesos. Write the currency in words: «560 dólares»'
    ]


def test_the_spanish_amount_in_words_passes(tmp_path: Path) -> None:
    root = copy_content(BROKEN / "spanish_dollar", tmp_path)
    msgid = "Since 1 January 2026 the first work permit costs 560 dollars."
    write_catalog(
        root,
        {msgid: "Desde el 1 de enero de 2026, el primer permiso de trabajo cuesta 560 dólares."},
    )
    assert problems_of(root, ["es", "en"]) == []


# -- readability ---------------------------------------------------------------------------------


def test_a_screen_over_english_grade_8_fails() -> None:
    assert problems_of(BROKEN / "hard_to_read") == [
        'flows/main.yaml:18: node "asylum": the English text of this screen is too hard to read: '
        "Flesch–Kincaid grade 32.1, the goal is 8 or lower. Use shorter sentences and everyday "
        "words (run ./helpline readability to compare)"
    ]


def test_a_spanish_screen_under_fernandez_huerta_70_fails(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    msgid = "Asylum protects people who fear harm."
    hard = (
        "Independientemente de consideraciones jurisprudenciales extraordinariamente "
        "complejas, la administración estadounidense frecuentemente requiere documentación "
        "probatoria circunstanciada, exhaustiva, pormenorizada e incontrovertible acerca de "
        "persecuciones individualizadas."
    )
    po = write_catalog(root, {msgid: hard})
    found = problems_of(root, ["es", "en"])
    assert len(found) == 1, found
    assert found[0].startswith(
        f'{PO}:{po_line(po, msgid)}: node "asylum": the Spanish text of this screen '
        "(flows/main.yaml:18) is too hard to read: Fernández-Huerta "
    )
    assert found[0].endswith(
        ", the goal is 70 or more. Use shorter sentences and shorter words in its translations"
    )


def test_a_few_words_are_not_scored() -> None:
    # "Hello. This is general information." alone scores grade 12: too short to mean anything.
    assert problems_of(VALID) == []


# -- notices -------------------------------------------------------------------------------------


def test_a_notice_without_its_dates_fails() -> None:
    assert problems_of(BROKEN / "notice_missing_dates") == [
        'flows/main.yaml:27: notice "no_dates": needs "expires: YYYY-MM-DD", the last day people '
        "should see it (a notice is for a change that just happened; after that, put it in a "
        "screen); it is not shown without it",
        'flows/main.yaml:27: notice "no_dates": needs "reviewed: YYYY-MM-DD", the day someone '
        "checked it against its sources; it is not shown without it",
    ]


def test_an_expired_notice_is_a_warning() -> None:
    found = validate_content(
        BROKEN / "notice_expired" / "flows", BROKEN / "notice_expired" / "locales", ["en"], CONFIG
    )
    assert [(p.severity, str(p)) for p in found] == [
        (
            "warning",
            'flows/main.yaml:27: warning: notice "old_news": expired on 2026-10-31: people no '
            'longer see it. Delete it, or check it again and set new "reviewed" and "expires" dates',
        )
    ]


def test_a_notice_cites_only_known_confirmed_facts_and_dates_in_order() -> None:
    assert problems_of(BROKEN / "notice_bad_sources") == [
        'flows/main.yaml:27: notice "wrong_facts" cites "ASY-99", which is not in '
        "flows/sources.yaml: check the fact id against legal-facts.md and add the fact there "
        'first, or remove it from "sources:"',
        'flows/main.yaml:27: notice "wrong_facts" cites "HELP-4", a fact marked "?" (not '
        'confirmed): people must not read it as fact. Remove it from "sources:" and say "ask a '
        'lawyer" instead',
        'flows/main.yaml:32: notice "backwards": expires on 2026-11-10, before it was reviewed on '
        "2026-11-20; fix one of the two dates",
    ]


def test_a_notice_needs_its_spanish_translation(tmp_path: Path) -> None:
    root = copy_content(BROKEN / "notice_expired", tmp_path)
    path = root / "flows" / "main.yaml"
    path.write_text(path.read_text().replace("expires: 2026-10-31", "expires: 2026-12-31"))
    write_catalog(root)
    assert problems_of(root, ["es", "en"]) == []
    po = root / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    text = "Something changed. Ask a free legal service."
    po.write_text(po.read_text().replace(f'msgstr "ES {text}"', 'msgstr ""'))
    assert problems_of(root, ["es", "en"]) == [
        f'flows/main.yaml:27: "{text}" has no Spanish translation yet; write it in the msgstr at '
        f"{PO}:{po_line(po, text)}"
    ]


def test_a_long_notice_is_a_warning_and_a_notice_amount_needs_a_date(tmp_path: Path) -> None:
    root = copy_content(BROKEN / "notice_expired", tmp_path)
    path = root / "flows" / "main.yaml"
    long_text = "The fee is now $600. " + "Ask a free legal service before you pay. " * 7
    path.write_text(
        path.read_text()
        .replace("expires: 2026-10-31", "expires: 2026-12-31")
        .replace("text: Something changed. Ask a free legal service.", f"text: {long_text.strip()}")
    )
    assert problems_of(root) == [
        'flows/main.yaml:27: notice "old_news" gives an amount of money ("$600") with no date: fees '
        'change every year, so say from when it holds in the same message, e.g. "since 1 January '
        '2026" (the date of the fact in legal-facts.md)',
        f'flows/main.yaml:27: warning: notice "old_news": is {len(long_text.strip())} characters; a '
        "banner over 280 pushes the menu off a small phone: keep one or two short sentences and put "
        "the rest in a screen",
    ]


def test_a_misspelled_notice_field_names_the_notice(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    (root / "flows" / "notices.yaml").write_text(
        "notices:\n"
        "  - id: typo\n"
        "    text: Something changed. Ask a free legal service.\n"
        "    reviewed: 2026-11-20\n"
        "    expire: 2026-12-01\n"
    )
    assert problems_of(root) == [
        'flows/notices.yaml:5: notice "typo": unknown field "expire" (check the spelling; see '
        "CONTENT.md for fields)"
    ]
