"""The real directory: only what the sources confirm, never verified yet, numbers quoted exactly.

These tests read ``flows/legal_aid/`` and the real catalogs. They pin down the facts that must
not drift: the only organization phone the sources confirm, the national numbers and how sure we
are of each, and that every translation of the national screen carries the same numbers.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.directory.cards import CARD_MAX, render_card
from bot.directory.loader import load_directory_data, parse_national_file
from bot.directory.search import Found, Freshness
from bot.directory.service import check_national_text
from bot.engine.loader import load_flows
from bot.i18n.catalogs import load_localizer
from bot.settings import REPO_ROOT

FOLDER = REPO_ROOT / "flows" / "legal_aid"
TODAY = dt.date(2026, 11, 23)
CASE_LINE = (
    "To check your immigration court case, call 1-800-898-7180. It works at any time, in English "
    "and Spanish. You need your A-number. Or visit https://acis.eoir.justice.gov/"
)


def test_the_directory_loads_with_only_the_known_warning() -> None:
    data = load_directory_data(FOLDER, TODAY, 180, 365)
    assert [str(p) for p in data.problems] == [
        'flows/legal_aid/providers.yaml:83: warning: provider "mexicans_in_exile": has no phone and '
        "no website, so people cannot reach it: it is not shown to people until one is added"
    ]
    assert len(data.providers) == 17


def test_no_entry_claims_more_than_its_source() -> None:
    providers = load_directory_data(FOLDER, TODAY, 180, 365).providers
    assert all(p.last_verified is None for p in providers), "no person has verified them yet"
    assert all(p.doj_recognized is None for p in providers), "the sources never say"
    assert all(p.hours == "" for p in providers), "the sources give no opening hours"
    assert {p.id: p.phone for p in providers if p.phone} == {
        "houston_immigrant_hotline": "+18334684664"
    }, "the only organization phone the sources confirm"
    assert all(p.source for p in providers)


def test_national_resources_keep_the_numbers_and_confidence_of_the_sources() -> None:
    national = load_directory_data(FOLDER, TODAY, 180, 365).national
    assert {r.id: (r.phone, r.website, r.confidence, r.shown) for r in national} == {
        "eoir_pro_bono_list": ("", "https://www.justice.gov/eoir/list-pro-bono-legal-service-providers", "G", True),
        "eoir_case_line": ("+18008987180", "", "G", True),
        "eoir_case_web": ("", "https://acis.eoir.justice.gov/", "S", True),
        "doj_recognition_roster": ("", "https://www.justice.gov/eoir/recognition-and-accreditation-program", "G", True),
        "ice_detention_line": ("+18883514024", "", "G", True),
        "ice_locator": ("", "https://locator.ice.gov", "S", True),
        "orr_parent_hotline": ("+18002037001", "", "S", True),
        "ftc_fraud_line": ("+18773824357", "", "S", True),
        "immigration_advocates_directory": ("", "https://www.immigrationadvocates.org/legaldirectory/", "S", False),
    }  # fmt: skip


def test_the_national_screen_quotes_every_number_in_every_language() -> None:
    entries, problems = parse_national_file(
        FOLDER / "national.yaml", "flows/legal_aid/national.yaml"
    )
    assert problems == []
    flows = load_flows(REPO_ROOT / "flows").flows
    localizer = load_localizer(REPO_ROOT / "locales", ["es", "en"])
    assert check_national_text(entries, flows, localizer) == []


def test_a_mistyped_number_in_a_translation_is_caught(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(REPO_ROOT / "locales", locales)
    po_path = locales / "es" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    entry = catalog.get(CASE_LINE)
    assert entry is not None and "1-800-898-7180" in entry.string
    entry.string = entry.string.replace("1-800-898-7180", "1-800-898-7810")
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    (locales / "es" / "LC_MESSAGES" / "messages.mo").unlink()
    entries, _ = parse_national_file(FOLDER / "national.yaml")
    flows = load_flows(REPO_ROOT / "flows").flows
    problems = check_national_text(entries, flows, load_localizer(locales, ["es", "en"]))
    assert [str(p) for p in problems] == [
        'flows/legal_aid/national.yaml:27: resource "eoir_case_line": the Spanish translation of '
        'the screen "legal_aid_national" does not quote 1-800-898-7180; write it there exactly '
        "like this"
    ]


@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize("fresh", list(Freshness))
def test_every_card_fits_one_phone_screen(locale: str, fresh: Freshness) -> None:
    translator = load_localizer(REPO_ROOT / "locales", ["es", "en"]).translator(locale)
    providers = load_directory_data(FOLDER, TODAY, 180, 365).providers
    with_date = [p.model_copy(update={"last_verified": TODAY}) for p in providers]
    for number, provider in enumerate(with_date, start=1):
        card = render_card(Found(provider, fresh), translator, number)
        assert len(card) <= CARD_MAX, provider.id
        assert card.startswith(f"{number}. {provider.name}\n")
        assert "…" not in card, f"{provider.id}: its services were cut to fit"


def test_a_broken_directory_is_refused_like_broken_flows(tmp_path: Path) -> None:
    from bot.content import load_content
    from bot.errors import ContentError

    flows = tmp_path / "flows"
    shutil.copytree(REPO_ROOT / "flows", flows)
    providers = flows / "legal_aid" / "providers.yaml"
    providers.write_text(
        providers.read_text(encoding="utf-8").replace("'+18334684664'", "'+1833468'"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_content(flows, REPO_ROOT / "locales", ["es", "en"])
    assert [str(p) for p in caught.value.problems] == [
        'flows/legal_aid/providers.yaml:210: provider "houston_immigrant_hotline": phone: '
        '"+1833468" is not a valid phone number: write it like +18005551234, or leave it empty '
        '("") when it is not confirmed'
    ]
