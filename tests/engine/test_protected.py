"""A translation cannot change a number, a link, an e-mail, a form number or a fact id.

Today's content is the fixture: one digit of an emergency or court number changed in the Spanish
catalog must stop the content from going live, with the screen, both strings and what differs.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.engine.protected import compare_protected, protected_parts
from bot.engine.validate import ValidationConfig, validate_content
from bot.settings import REPO_ROOT

PO = Path("locales/es/LC_MESSAGES/messages.po")
CONFIG = ValidationConfig(today=dt.date(2026, 12, 1))


@pytest.mark.parametrize(
    ("english", "translation"),
    [
        ("Call 911.", "Llame al 911."),
        ("Call 1-800-898-7180, 24 hours.", "Llame al 1 800 898 7180, las 24 horas."),
        (
            "The fee is $560 since January 1, 2026.",
            "Cuesta 560 dólares desde el 1 de enero de 2026.",
        ),
        ("Use Form EOIR-33/IC (ASY-14).", "Use el formulario EOIR-33/IC (ASY-14)."),
        ("See https://www.justice.gov/eoir.", "Vea https://www.justice.gov/eoir."),
        ("Write to help@example.org", "Escriba a help@example.org"),
        ("Over $1,000.", "Más de 1,000 dólares."),
    ],
)
def test_the_same_parts_written_the_local_way_pass(english: str, translation: str) -> None:
    assert not compare_protected(english, translation)


@pytest.mark.parametrize(
    ("english", "translation", "missing", "added"),
    [
        ("Call 911.", "Llame al 991.", ("911",), ("991",)),
        (
            "Call 1-800-898-7180.",
            "Llame al 1-800-898-7181.",
            ("1-800-898-7180",),
            ("1-800-898-7181",),
        ),
        ("File within 30 days.", "Presente en 60 días.", ("30",), ("60",)),
        ("Form I-589.", "Formulario I-598.", ("I-589",), ("I-598",)),
        ("Fact ASY-14.", "Dato ASY-15.", ("ASY-14",), ("ASY-15",)),
        (
            "Chat at 988lifeline.org",
            "Chatee en 988lifline.org",
            ("988lifeline.org",),
            ("988lifline.org",),
        ),
        ("Call 988.", "Llame.", ("988",), ()),
        ("Call us.", "Llame al 555 1234.", (), ("555 1234",)),
    ],
)
def test_a_changed_lost_or_added_part_is_named(
    english: str, translation: str, missing: tuple[str, ...], added: tuple[str, ...]
) -> None:
    difference = compare_protected(english, translation)
    assert (difference.missing, difference.added) == (missing, added)


def test_an_allowed_local_variant_passes() -> None:
    english, local = "Call 1-800-222-3333.", "Llame al 55 1234 5678."
    assert compare_protected(english, local)
    assert not compare_protected(english, local, {"1-800-222-3333": "55 1234 5678"})


def test_parts_are_found_in_their_written_form() -> None:
    assert protected_parts("Call 1-800-799-7233 or text 233733; see 988lifeline.org.") == {
        "18007997233": "1-800-799-7233",
        "233733": "233733",
        "988lifeline.org": "988lifeline.org",
    }


def content_copy(tmp_path: Path) -> Path:
    for folder in ("flows", "locales"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder)
    return tmp_path


def replace_in_po(root: Path, old: str, new: str) -> None:
    """Change ``old`` to ``new`` in the first Spanish translation (msgstr) that has it."""
    path = root / PO
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and old in line)
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def errors(root: Path) -> list[str]:
    """The validator's complaints about changed numbers and links (other rules have own tests)."""
    found = validate_content(root / "flows", root / "locales", ["es", "en"], CONFIG)
    return [str(p) for p in found if "must keep every number" in p.message]


def test_todays_content_keeps_every_protected_part() -> None:
    assert errors(REPO_ROOT) == []


def test_911_changed_to_991_in_the_spanish_emergency_screen_fails(tmp_path: Path) -> None:
    root = content_copy(tmp_path)
    replace_in_po(root, "911", "991")
    found = errors(root)
    assert found
    problem = found[0]
    assert problem.startswith(f"{PO}:")
    assert 'node "emergency"' in problem
    assert "missing in Spanish: 911; not in the English: 991" in problem
    assert 'English: "If you are in danger in the United States, call 911' in problem


def test_one_digit_of_the_eoir_number_changed_fails(tmp_path: Path) -> None:
    root = content_copy(tmp_path)
    replace_in_po(root, "1-800-898-7180", "1-800-898-7181")
    found = errors(root)
    assert len(found) == 1
    assert "missing in Spanish: 1-800-898-7180; not in the English: 1-800-898-7181" in found[0]


def test_a_changed_link_fails_unless_listed_as_a_local_variant(tmp_path: Path) -> None:
    root = content_copy(tmp_path)
    replace_in_po(root, "acis.eoir.justice.gov", "acis.eoir.gob.mx")
    assert len(errors(root)) == 1
    (root / "locales" / "variants.yaml").write_text(
        "es:\n"
        "  - english: acis.eoir.justice.gov\n"
        "    translation: acis.eoir.gob.mx\n"
        "    why: a test of the list of allowed variants\n",
        encoding="utf-8",
    )
    assert errors(root) == []
