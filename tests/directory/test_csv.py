"""Spreadsheet round trip: export the real directory, import it back, get the same file; a bad
spreadsheet is refused with the row of each mistake and never replaces the list.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.directory.csvio import FIELDS, dump_providers, export_csv
from bot.directory.loader import parse_providers_file
from bot.settings import REPO_ROOT

REAL = REPO_ROOT / "flows" / "legal_aid"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["providers", *args])
    return result.exit_code, result.output


def folder_with_real_directory(tmp_path: Path) -> Path:
    folder = tmp_path / "legal_aid"
    shutil.copytree(REAL, folder)
    return folder


def test_export_then_import_gives_back_the_same_file(tmp_path: Path) -> None:
    folder = folder_with_real_directory(tmp_path)
    original = (folder / "providers.yaml").read_text(encoding="utf-8")
    sheet = tmp_path / "review.csv"
    code, output = run("export", "--folder", str(folder), "--output", str(sheet))
    assert code == 0, output
    assert "Wrote 17 organizations" in output
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    assert len(rows) == 17 and tuple(rows[0]) == FIELDS
    raices = next(r for r in rows if r["id"] == "raices")
    assert raices["services"] == "removal_defense; asylum; families; children; detained; bond"
    assert (
        raices["phone"] == "" and raices["last_verified"] == "" and raices["doj_recognized"] == ""
    )
    (folder / "providers.yaml").write_text("providers: []\n", encoding="utf-8")
    code, output = run("import", str(sheet), "--folder", str(folder))
    assert code == 0, output
    assert (folder / "providers.yaml").read_text(encoding="utf-8") == original


def test_the_real_file_is_written_in_the_writer_style() -> None:
    path = REAL / "providers.yaml"
    entries, problems = parse_providers_file(path)
    assert problems == []
    assert dump_providers([e.item for e in entries]) == path.read_text(encoding="utf-8")


def test_a_spreadsheet_with_mistakes_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    folder = folder_with_real_directory(tmp_path)
    before = (folder / "providers.yaml").read_text(encoding="utf-8")
    sheet = tmp_path / "edited.csv"
    sheet.write_text(
        "id,name,city,state,services,languages,phone,website,source\n"
        "good,Good Legal Aid,El Paso,TX,asylum; detained,es,915-555-0100,https://good.example.org,sheet\n"
        "bad,Bad Legal Aid,El Paso,Tejas,asilo,spanish,555,good.example.org,sheet\n",
        encoding="utf-8",
    )
    code, output = run("import", str(sheet), "--folder", str(folder))
    assert code == 1
    lines = [line.removeprefix(f"{tmp_path}/") for line in output.splitlines()]
    assert lines[:5] == [
        'edited.csv:3: provider "bad": languages: write the language code "es" instead of "spanish"',
        'edited.csv:3: provider "bad": phone: "555" is not a valid phone number: write it like '
        '+18005551234, or leave it empty ("") when it is not confirmed',
        'edited.csv:3: provider "bad": services: unknown service "asilo" (allowed: '
        + lines[2].split("(allowed: ", 1)[1],
        'edited.csv:3: provider "bad": state: write the two-letter code "TX" instead of "Tejas"',
        'edited.csv:3: provider "bad": website: "good.example.org" is not a web address: write it '
        "in full, e.g. https://example.org, or leave it empty",
    ]
    assert lines[-1] == "Nothing was written: fix the 5 error(s) above and import again."
    assert (folder / "providers.yaml").read_text(encoding="utf-8") == before


def test_a_semicolon_spreadsheet_is_read_and_phone_numbers_are_normalized(tmp_path: Path) -> None:
    sheet = tmp_path / "excel.csv"
    sheet.write_text(
        "\ufeffid;name;city;state;services;languages;phone;cost;remote;doj_recognized;source\n"
        'hotline;Hotline;Houston;TX;"referrals; legal_information";"es; en";(833) 468-4664;free;sí;;sheet\n',
        encoding="utf-8",
    )
    target = tmp_path / "providers.yaml"
    code, output = run("import", str(sheet), "--output", str(target))
    assert code == 0, output
    entries, problems = parse_providers_file(target)
    assert problems == []
    hotline = entries[0].item
    assert hotline.phone == "+18334684664"
    assert hotline.services == ["referrals", "legal_information"]
    assert hotline.languages == ["es", "en"]
    assert hotline.remote is True and hotline.doj_recognized is None


def test_an_empty_spreadsheet_never_wipes_the_directory(tmp_path: Path) -> None:
    folder = folder_with_real_directory(tmp_path)
    before = (folder / "providers.yaml").read_text(encoding="utf-8")
    sheet = tmp_path / "empty.csv"
    sheet.write_text(",".join(FIELDS) + "\n", encoding="utf-8")
    code, output = run("import", str(sheet), "--folder", str(folder))
    assert code == 1
    assert "The spreadsheet has no organizations; nothing was written." in output
    assert (folder / "providers.yaml").read_text(encoding="utf-8") == before


def test_export_to_the_terminal_is_the_same_csv(tmp_path: Path) -> None:
    code, output = run("export", "--folder", str(REAL))
    assert code == 0
    entries, _ = parse_providers_file(REAL / "providers.yaml")
    assert output == export_csv([e.item for e in entries])
