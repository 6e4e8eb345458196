"""Content for WhatsApp: the optional ``short:`` label (model, .pot extraction, engine) and the
validator's WhatsApp checks, in every language."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.engine.loader import load_flows
from bot.engine.validate import ValidationConfig, translatable_strings, validate_content
from bot.i18n.extract import extract_flows

VALID = Path(__file__).resolve().parent.parent / "data" / "tooling" / "valid"
CONFIG = ValidationConfig(today=dt.date(2026, 12, 1), actions={"deadline_calculator"})
LONG = "Convention Against Torture protection"  # 37 characters
MAIN_SCREEN = """  - id: main
    title: Main menu
    messages:
      - Choose a topic.
    buttons:
      - label: Asylum
        goto: asylum
"""


def content(tmp_path: Path, main: str, spanish: dict[str, str] | None = None) -> Path:
    """The valid fixture with another main screen and, optionally, a Spanish catalog."""
    shutil.copytree(VALID / "flows", tmp_path / "flows")
    path = tmp_path / "flows" / "main.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(MAIN_SCREEN, main), encoding="utf-8")
    (tmp_path / "locales").mkdir()
    if spanish is not None:
        catalog = Catalog(locale="es")
        for msgid in translatable_strings(load_flows(tmp_path / "flows").flows):
            catalog.add(msgid, spanish.get(msgid, f"ES {msgid}"))
        po = tmp_path / "locales" / "es" / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        with po.open("wb") as handle:
            write_po(handle, catalog, width=0)
    return tmp_path


def whatsapp_problems(root: Path, languages: list[str]) -> list[str]:
    found = validate_content(root / "flows", root / "locales", languages, CONFIG)
    return [str(p) for p in found if "WhatsApp" in p.message and p.severity == "error"]


def main_with(label: str, short: str | None = None) -> str:
    line = f"        short: {short}\n" if short else ""
    return MAIN_SCREEN.replace("      - label: Asylum\n", f"      - label: {label}\n{line}")


@pytest.mark.parametrize(
    ("main", "spanish", "expected"),
    [
        (main_with("Asylum"), None, []),
        (main_with(LONG), None, ['node "main": the button "' + LONG + '" is 37 characters']),
        (main_with(LONG, "CAT protection"), None, []),
        (
            main_with(LONG, "CAT protection"),
            {"CAT protection": "Protección contra la tortura"},
            ['node "main": the button "ES ' + LONG + '" (es) is 40 characters'],
        ),
        (
            main_with("Asylum"),
            {"Asylum": "Asilo, refugio y protección"},
            ['node "main": the button "Asilo, refugio y protección" (es) is 27 characters'],
        ),
        (
            MAIN_SCREEN.replace("      - Choose a topic.\n", "      - " + "word " * 220 + "\n"),
            None,
            ['node "main": this message is 1,099 characters and the buttons come under it'],
        ),
    ],
    ids=[
        "label fits",
        "long label without short form",
        "long label with short form",
        "Spanish short form too long",
        "Spanish label too long, no short form",
        "message under the buttons over 1,024",
    ],
)
def test_validator_fails_on_what_whatsapp_cannot_show(
    tmp_path: Path, main: str, spanish: dict[str, str] | None, expected: list[str]
) -> None:
    root = content(tmp_path, main, spanish)
    found = whatsapp_problems(root, ["es", "en"] if spanish is not None else ["en"])
    assert len(found) == len(expected), found
    for problem, start in zip(found, expected, strict=True):
        assert start in problem


def test_interface_label_over_its_whatsapp_limit_in_a_language(tmp_path: Path) -> None:
    root = content(tmp_path, MAIN_SCREEN, {"⬅ Back": "⬅ Regresar a la pantalla anterior"})
    found = whatsapp_problems(root, ["es", "en"])
    assert found == [
        'locales/es/LC_MESSAGES/messages.po:1: the es translation of "⬅ Back" is 33 characters; '
        "on WhatsApp it must fit 20: shorten it"
    ]


def test_short_label_is_a_msgid_for_translators() -> None:
    source = b"nodes:\n  - id: main\n    buttons:\n      - label: Find free legal help\n"
    source += b"        short: Free legal help\n        goto: legal_aid\n"
    found = list(extract_flows(io.BytesIO(source), {}, [], {}))
    assert [(line, message) for line, _, message, _ in found] == [
        (4, "Find free legal help"),
        (4, "Free legal help"),
    ]
    assert "short button label for WhatsApp: 20 characters at most" in found[1][3]


def test_the_shipped_content_passes_the_whatsapp_checks() -> None:
    root = Path(__file__).resolve().parents[2]
    found = validate_content(root / "flows", root / "locales", ["es", "en"], CONFIG)
    assert not [str(p) for p in found if "WhatsApp" in p.message and p.severity == "error"]
