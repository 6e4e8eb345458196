"""The content validator: one deliberately broken fixture per rule, each with its exact message.

Flow fixtures live in ``tests/data/broken/<rule>/flows/``; catalogs are built in ``tmp_path`` from
the strings the content really needs (flows and interface), so that exactly one thing is broken.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from typer.testing import CliRunner

from bot.cli import app
from bot.engine.loader import Problem, load_flows
from bot.engine.validate import ValidationConfig, translatable_strings, validate_content
from bot.settings import REPO_ROOT, Settings, get_settings

DATA = Path(__file__).resolve().parent.parent / "data"
BROKEN = DATA / "broken"
VALID = DATA / "tooling" / "valid"
TODAY = dt.date(2026, 11, 23)
CONFIG = ValidationConfig(today=TODAY, actions={"deadline_calculator"})
NO_READABILITY = ValidationConfig(today=TODAY, actions={"deadline_calculator"}, readability=False)
PO = "locales/es/LC_MESSAGES/messages.po"


def problems_of(
    root: Path, languages: list[str] | None = None, config: ValidationConfig = CONFIG
) -> list[str]:
    """Every problem for a content folder, as the editor reads it."""
    found = validate_content(root / "flows", root / "locales", languages or ["en"], config)
    return [str(p) for p in found]


def copy_content(source: Path, target: Path) -> Path:
    """A writable copy of a fixture's flows/ (and locales/ when it has one)."""
    shutil.copytree(source / "flows", target / "flows")
    (target / "locales").mkdir(exist_ok=True)
    return target


def write_catalog(
    root: Path,
    code: str = "es",
    *,
    drop: frozenset[str] = frozenset(),
    empty: frozenset[str] = frozenset(),
    fuzzy: frozenset[str] = frozenset(),
    replace: dict[str, str] | None = None,
    extra: dict[str, str] | None = None,
) -> Path:
    """A complete catalog for the content in ``root`` ("ES " + English), then one thing broken."""
    flows = load_flows(root / "flows").flows
    catalog = Catalog(locale=code)
    for msgid in translatable_strings(flows):
        if msgid in drop:
            continue
        string = "" if msgid in empty else (replace or {}).get(msgid, f"ES {msgid}")
        catalog.add(msgid, string, flags=("fuzzy",) if msgid in fuzzy else ())
    for msgid, string in (extra or {}).items():
        catalog.add(msgid, string, auto_comments=["node gone"])
    path = root / "locales" / code / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return path


def po_line(path: Path, msgid: str) -> int:
    """The 1-based line of ``msgid "..."`` in a catalog."""
    needle = f'msgid "{msgid}"'
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line == needle:
            return number
    raise AssertionError(f"{msgid!r} not in {path}")


# -- the flows ------------------------------------------------------------------------------------


def test_the_valid_fixture_has_no_problem() -> None:
    assert problems_of(VALID) == []


def test_the_valid_fixture_with_a_complete_spanish_catalog_has_no_problem(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    write_catalog(root)
    assert problems_of(root, ["es", "en"]) == []


def test_yaml_syntax_error_names_the_line() -> None:
    assert problems_of(BROKEN / "yaml_syntax") == [
        "flows/main.yaml:20: YAML did not expect a colon (:) here. Either this line is indented "
        "with more or fewer spaces than the fields around it, or the line just above is missing "
        'the colon after its field name, or a text that contains ": " must be put in quotes '
        "(the other checks run once this file can be read)"
    ]


def test_unknown_field_is_named() -> None:
    assert problems_of(BROKEN / "unknown_field") == [
        'flows/main.yaml:15: node "main": button "Asylum" goes to unknown node "asylum"',
        'flows/main.yaml:20: node "asylum": unknown field "titel" (check the spelling; see CONTENT.md for fields)',
    ]


def test_duplicate_node_id_points_at_the_first() -> None:
    assert problems_of(BROKEN / "duplicate_id") == [
        'flows/main.yaml:26: node "main": duplicate node id (first defined at flows/main.yaml:10)'
    ]


def test_link_to_a_missing_node() -> None:
    assert problems_of(BROKEN / "unknown_link") == [
        'flows/main.yaml:15: node "main": button "Asylum" goes to unknown node "asylm"'
    ]


def test_unreachable_node_is_a_warning() -> None:
    found = validate_content(
        BROKEN / "unreachable" / "flows", BROKEN / "unreachable" / "locales", ["en"], CONFIG
    )
    assert [(p.severity, str(p)) for p in found] == [
        (
            "warning",
            'flows/main.yaml:26: warning: node "orphan": nobody can reach this screen: no button leads here '
            'from "welcome" or "main"; add a button with "goto: orphan", add keywords, or delete the node',
        )
    ]


def test_keywords_make_a_node_reachable(tmp_path: Path) -> None:
    root = copy_content(BROKEN / "unreachable", tmp_path)
    path = root / "flows" / "main.yaml"
    path.write_text(
        path.read_text().replace(
            "  - id: orphan\n", "  - id: orphan\n    keywords: {en: [forgotten]}\n"
        )
    )
    assert problems_of(root) == []


def test_dead_end_without_a_way_back() -> None:
    assert problems_of(BROKEN / "dead_end") == [
        'flows/main.yaml:18: node "asylum": people get stuck on this screen: it has "nav: false" and no '
        'buttons or input; add a button, or remove "nav: false" to show Back and Main menu'
    ]


def test_message_over_telegram_limit_is_an_error_and_past_one_screen_a_warning(
    tmp_path: Path,
) -> None:
    root = copy_content(VALID, tmp_path)
    path = root / "flows" / "main.yaml"
    huge, long = "word " * 820, "word " * 150
    path.write_text(
        path.read_text().replace(
            "      - Choose a topic.\n",
            f"      - Choose a topic.\n      - {huge.strip()}\n      - {long.strip()}\n",
        )
    )
    # "word word …" has no sentences, so its readability is not the point here.
    assert problems_of(root, config=NO_READABILITY) == [
        'flows/main.yaml:14: node "main": this message is 4,099 characters; Telegram refuses messages '
        "over 4,096: split it into shorter messages, one idea each",
        'flows/main.yaml:15: warning: node "main": this message is 749 characters, more than one phone '
        "screen (700): split it into shorter messages, one idea each",
    ]


def test_emoji_count_twice_toward_telegram_limit(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    path = root / "flows" / "main.yaml"
    path.write_text(
        path.read_text().replace("      - Choose a topic.\n", f"      - {'🏠' * 2049}\n")
    )
    assert problems_of(root)[0] == (
        'flows/main.yaml:13: node "main": this message is 4,098 characters; Telegram refuses messages '
        "over 4,096: split it into shorter messages, one idea each"
    )


def test_long_button_label_is_a_warning() -> None:
    assert problems_of(BROKEN / "long_label") == [
        'flows/main.yaml:15: warning: node "main": button label "Asylum, withholding and torture '
        'protection" is 42 characters; labels over 30 are cut off on phones: shorten it'
    ]


def test_too_many_buttons_counts_the_automatic_ones() -> None:
    assert problems_of(BROKEN / "too_many_buttons") == [
        'flows/main.yaml:18: warning: node "asylum": this screen shows 9 buttons (6 here + Sources, Back, '
        "Main menu); more than 8 are hard to use on a phone: move some to a new screen"
    ]


def test_callback_data_over_64_bytes() -> None:
    long_id = "a" * 61
    assert problems_of(BROKEN / "callback_data") == [
        f'flows/main.yaml:10: node "main": a button of this screen is too long for Telegram: '
        f'"b:main:{long_id}" is 68 bytes and the limit is 64; use a shorter screen id, or give the '
        'button a short "id:"',
        f'flows/main.yaml:18: node "{long_id}": a button of this screen is too long for Telegram: '
        f'"src:{long_id}" is 65 bytes and the limit is 64; use a shorter screen id',
        f'flows/main.yaml:18: node "{long_id}": a node id uses only lowercase letters, digits and _ (40 at most)',
    ]


def test_legal_node_without_reviewed_date() -> None:
    assert problems_of(BROKEN / "legal_missing_reviewed") == [
        'flows/main.yaml:18: node "asylum": a legal screen needs "reviewed: YYYY-MM-DD", the day someone '
        "checked it against its sources"
    ]


def test_legal_node_without_sources() -> None:
    assert problems_of(BROKEN / "legal_missing_sources") == [
        'flows/main.yaml:18: node "asylum": a legal screen needs "sources:" with at least one fact id from '
        "flows/sources.yaml, e.g. sources: [ASY-1]"
    ]


def test_old_review_is_a_warning_after_the_configured_days() -> None:
    assert problems_of(BROKEN / "reviewed_old") == [
        'flows/main.yaml:18: warning: node "asylum": reviewed on 2026-01-15, 312 days ago (the limit is '
        '180); check it against its sources again and update "reviewed"'
    ]
    lenient = ValidationConfig(today=TODAY, review_max_days=400, actions=CONFIG.actions)
    assert problems_of(BROKEN / "reviewed_old", config=lenient) == []


def test_unknown_action_lists_the_known_ones() -> None:
    assert problems_of(BROKEN / "unknown_action") == [
        'flows/main.yaml:18: node "asylum": unknown action "count_sheep" (built-in actions: '
        "deadline_calculator); check the spelling"
    ]


def test_unknown_action_is_checked_against_the_registered_actions_by_default() -> None:
    from bot.engine.actions import ACTIONS

    found = problems_of(BROKEN / "unknown_action", config=ValidationConfig(today=TODAY))
    assert len(found) == 1
    assert 'unknown action "count_sheep"' in found[0]
    assert all(name in found[0] for name in ACTIONS)


def test_conditions_on_answers_no_button_sets() -> None:
    assert problems_of(BROKEN / "condition_never_set") == [
        'flows/main.yaml:26: warning: node "asylum": the condition uses the answer "came_from" but no '
        'button sets it; add "set: {came_from: ...}" to a button before this screen, or fix the spelling',
        'flows/main.yaml:28: warning: node "asylum": the condition expects "topic" to be "asylm", but '
        'buttons only set it to "asylum"; fix the spelling of one of them',
    ]


# -- the translations -----------------------------------------------------------------------------


def test_missing_translation_points_at_the_english_string(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    write_catalog(root, drop=frozenset({"Choose a topic."}))
    assert problems_of(root, ["es", "en"]) == [
        f'flows/main.yaml:13: node "main": "Choose a topic." is not in {PO} yet; run "./helpline '
        'i18n update", then translate it to Spanish there'
    ]


def test_untranslated_entry_names_the_po_line(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    po = write_catalog(root, empty=frozenset({"Choose a topic."}))
    line = po_line(po, "Choose a topic.")
    assert problems_of(root, ["es", "en"]) == [
        f'flows/main.yaml:13: node "main": "Choose a topic." has no Spanish translation yet; write it '
        f"in the msgstr at {PO}:{line}"
    ]


def test_fuzzy_translation_is_an_error(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    po = write_catalog(root, fuzzy=frozenset({"Continue"}))
    line = po_line(po, "Continue")
    assert problems_of(root, ["es", "en"]) == [
        f'flows/main.yaml:7: node "welcome": the Spanish translation of "Continue" is marked fuzzy '
        f'(unchecked) at {PO}:{line}; check it, then remove the "fuzzy" mark'
    ]


def test_interface_strings_need_translations_too(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    write_catalog(root, drop=frozenset({"⬅ Back"}))
    found = problems_of(root, ["es", "en"])
    assert len(found) == 1
    assert found[0].startswith("bot/engine/ui.py:")
    assert f'"⬅ Back" is not in {PO} yet' in found[0]


def test_obsolete_entry_points_at_the_po_line(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    po = write_catalog(root, extra={"An old sentence nobody uses.": "Una frase vieja."})
    line = po_line(po, "An old sentence nobody uses.")
    assert problems_of(root, ["es", "en"]) == [
        f'{PO}:{line}: warning: node "gone": this entry translates English text that no longer exists '
        '("An old sentence nobody uses."); run "./helpline i18n update" to retire it'
    ]


def test_placeholders_must_match(tmp_path: Path) -> None:
    root = copy_content(BROKEN / "placeholders", tmp_path)
    po = write_catalog(
        root, replace={"Your next step is on {date}.": "Su siguiente paso es el {fecha}."}
    )
    line = po_line(po, "Your next step is on {date}.")
    assert problems_of(root, ["es", "en"]) == [
        f'{PO}:{line}: node "asylum": the Spanish translation must keep the placeholders of the English '
        "text unchanged: English has {date}, Spanish has {fecha}"
    ]


def test_translated_message_and_label_are_measured_too(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    po = write_catalog(
        root,
        replace={
            "Choose a topic.": "x" * 4100,
            "Asylum": "Asilo, refugio y protección internacional",
        },
    )
    message, label = po_line(po, "Choose a topic."), po_line(po, "Asylum")
    assert problems_of(root, ["es", "en"]) == [
        'flows/main.yaml:15: node "main": the button "Asilo, refugio y protección internacional" '
        "(es) is 41 characters and WhatsApp buttons show 20: add a short label for WhatsApp "
        '("short:" under "label:", 20 characters at most, translated like the label), or shorten '
        "the label",
        f'{PO}:{message}: node "main": the Spanish translation of this message is 4,100 characters; '
        f"Telegram refuses messages over 4,096: shorten it in {PO}:{message}",
        f'{PO}:{label}: warning: node "main": the Spanish button label "Asilo, refugio y protección '
        f'internacional" is 41 characters; labels over 30 are cut off on phones: shorten it in {PO}:{label}',
    ]


def test_percent_sign_that_babel_would_refuse(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    path = root / "flows" / "main.yaml"
    path.write_text(path.read_text().replace("Choose a topic.", "About 4% of people win."))
    po = write_catalog(
        root, replace={"About 4% of people win.": "Cerca del 4% de las personas gana."}
    )
    line = po_line(po, "About 4% of people win.")
    assert problems_of(root, ["es", "en"]) == [
        f'{PO}:{line}: node "main": pybabel compile refuses the Spanish translation (incompatible format '
        "for placeholder 1: 'o' and 'd' are not compatible). A \"%\" followed by a space and a letter, as "
        'in "4% of", looks like a code to Babel: write "percent" instead, or put the % before '
        'punctuation, as in "(4%)"'
    ]


def test_configured_language_without_a_catalog(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    assert problems_of(root, ["es", "en"]) == [
        "locales/es/LC_MESSAGES/messages.po:1: LANGUAGES lists Spanish (es) but this catalog does not "
        'exist; create it with "./helpline i18n add es"'
    ]


def test_a_new_language_below_the_threshold_is_only_noted(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    write_catalog(
        root, "pt", empty=frozenset(translatable_strings(load_flows(root / "flows").flows))
    )
    assert problems_of(root, ["en"]) == [
        "locales/pt/LC_MESSAGES/messages.po:1: warning: Portuguese is 0% translated; it appears in the "
        "language menu at 90%"
    ]


def test_a_new_language_in_the_menu_gets_warnings_not_errors(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    write_catalog(root, "pt", empty=frozenset({"Choose a topic."}))
    found = validate_content(
        root / "flows", root / "locales", ["en"], ValidationConfig(today=TODAY, min_coverage=0.5)
    )
    assert [(p.severity, p.node) for p in found] == [("warning", "main")]


def test_an_unreadable_po_names_its_line(tmp_path: Path) -> None:
    root = copy_content(VALID, tmp_path)
    po = write_catalog(root)
    text = po.read_text(encoding="utf-8").replace(
        'msgstr "ES Continue"\n', 'msgstr "ES Continue"\nthis is not a po line\n', 1
    )
    po.write_text(text, encoding="utf-8")
    found = validate_content(root / "flows", root / "locales", ["es", "en"], CONFIG)
    assert [(p.file, p.severity) for p in found] == [(PO, "error")]
    assert found[0].line == po_line(po, "Continue") + 2  # the line after msgstr
    assert "cannot be read here" in found[0].message


# -- the command ----------------------------------------------------------------------------------


@pytest.fixture
def english_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command reads LANGUAGES from the environment; fixtures have English only."""
    monkeypatch.setenv("LANGUAGES", "en")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_validate_command_prints_problems_and_fails_on_errors(english_only: None) -> None:
    result = CliRunner().invoke(app, ["validate", str(BROKEN / "unknown_link")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0] == 'flows/main.yaml:15: node "main": button "Asylum" goes to unknown node "asylm"'
    )
    assert (
        lines[-1]
        == "1 flow files, 3 nodes, languages en: 1 error(s), 0 warning(s); content is NOT ready: fix the errors."
    )


def test_validate_command_passes_with_warnings_only(english_only: None) -> None:
    result = CliRunner().invoke(app, ["validate", str(BROKEN / "long_label")])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].endswith("0 error(s), 1 warning(s); content is ready.")


def test_validate_command_refuses_a_folder_without_flows(
    english_only: None, tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2


# -- the real content -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _real_problems() -> tuple[Problem, ...]:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    config = ValidationConfig(
        today=dt.date.today(),
        review_max_days=settings.content_review_max_days,
        min_coverage=settings.language_min_coverage,
    )
    found = validate_content(
        REPO_ROOT / "flows", REPO_ROOT / "locales", settings.language_list, config
    )
    return tuple(found)


REAL_FILES = sorted(
    [f"flows/{p.name}" for p in (REPO_ROOT / "flows").glob("*.yaml")]
    + [
        f"locales/{p.relative_to(REPO_ROOT / 'locales').as_posix()}"
        for p in (REPO_ROOT / "locales").glob("*/LC_MESSAGES/*.po")
    ]
    + ["bot (interface strings)"]
)


@pytest.mark.parametrize("content_file", REAL_FILES)
def test_real_content_has_no_errors(content_file: str) -> None:
    if content_file.startswith("bot "):
        errors = [
            p for p in _real_problems() if p.severity == "error" and p.file.startswith("bot/")
        ]
    else:
        errors = [p for p in _real_problems() if p.severity == "error" and p.file == content_file]
    assert [str(p) for p in errors] == []
