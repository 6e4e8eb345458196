"""Spreadsheets in and out: export ``providers.yaml`` to CSV for review, import a CSV back.

Many NGO teams keep lists in a spreadsheet. A CSV export has one column per field; lists sit in
one cell separated by semicolons ("asylum; detained"); empty cells mean "not known". Import runs
every check of the YAML file (each problem names the spreadsheet row) and writes
``providers.yaml`` only when there is no error, so a bad spreadsheet never replaces a good list.
The YAML is written in one fixed style, so export followed by import gives back the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from bot.directory.loader import Entry, Problem, parse_provider_rows, problem
from bot.directory.model import LIST_FIELDS, Provider, normalize_phone
from bot.directory.vocabulary import CAVEATS, COST, SERVES_ONLY, SERVICES

__all__ = ["FIELDS", "dump_providers", "export_csv", "read_csv"]

FIELDS: tuple[str, ...] = tuple(Provider.model_fields)
"""The columns of the spreadsheet, in the order of the YAML file."""

LIST_SEPARATOR = ";"
_LISTS = frozenset(LIST_FIELDS)
_BOOLS = frozenset({"nationwide", "remote", "interpretation", "doj_recognized"})
_YES = {"true", "yes", "y", "si", "sí", "1", "x"}
_NO = {"false", "no", "n", "0"}

HEADER = """\
# Legal-aid directory: organizations that give free or low-cost legal help.
# Edit this file, then check it:  ./helpline providers validate
# (or keep it in a spreadsheet:   ./helpline providers export / import).
#
# Use ONLY organizations and details confirmed in a source (../shared/content/legal-aid-sources.md
# for the first entries). Never guess: leave a phone "" and a yes/no field null when not confirmed.
#
# Fields of each entry:
#   id              short stable name: lowercase letters, digits and _ (never reuse an old id)
#   name            the organization's name as it writes it
#   city, state     where its office is; state is a two-letter code (TX) or null if nationwide
#   courts          immigration courts it works with, as "City, ST": ["San Antonio, TX"]
#   states_served   other states where it helps people; MX = the Mexican side of the border
#   nationwide      true if it helps people in every state
#   remote          true if it helps by phone or online
#   services        what it does, from this list:
{services}
#   serves_only     only if its sources say it serves only these people: {serves_only}
#   languages       ISO codes of the languages its staff speak: es, en, ar, myn (Mayan languages)
#   interpretation  true if it offers interpreters; null when not known
#   phone           +1 and ten digits, e.g. "+18005551234"; "" when not confirmed
#   website         the full address, e.g. https://example.org; "" when none
#   hours           opening hours as they write them; "" when not known
#   cost            {cost}
#   caveats         sentences the card shows so that nobody is misled: {caveats}
#   doj_recognized  true/false for a DOJ-recognized organization; null when not known
#   last_verified   the day a person of the helpline confirmed this entry (YYYY-MM-DD);
#                   null until then. Older entries are shown with a warning, then hidden.
#   source          where the information comes from; source_date the date the source gives
#   notes           for editors only, never shown to people
"""


def _header() -> str:
    services = textwrap.fill(
        ", ".join(SERVICES),
        width=100,
        initial_indent="#                   ",
        subsequent_indent="#                   ",
        break_on_hyphens=False,
    )
    return HEADER.format(
        services=services,
        serves_only=", ".join(SERVES_ONLY),
        cost=", ".join(COST),
        caveats=", ".join(CAVEATS),
    )


def _yaml_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value == "":
        return '""'
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def dump_providers(providers: Sequence[Provider]) -> str:
    """``providers.yaml`` in the one style the helpline writes (header, then one block each)."""
    blocks = []
    for provider in providers:
        lines = []
        for index, name in enumerate(FIELDS):
            prefix = "  - " if index == 0 else "    "
            lines.append(f"{prefix}{name}: {_yaml_value(getattr(provider, name))}")
        blocks.append("\n".join(lines))
    body = "\n\n".join(blocks)
    return f"{_header()}providers:\n{body}\n" if blocks else f"{_header()}providers: []\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    return str(value)


def export_csv(providers: Sequence[Provider]) -> str:
    """One row per organization, one column per field, lists joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for provider in providers:
        writer.writerow([_cell(getattr(provider, name)) for name in FIELDS])
    return out.getvalue()


def _value(name: str, text: str) -> Any:
    """A spreadsheet cell as the YAML value it stands for (``None``: leave the field out)."""
    text = text.strip()
    if name in _LISTS:
        return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    if text == "":
        return None
    if name in _BOOLS:
        folded = text.casefold()
        return True if folded in _YES else False if folded in _NO else text
    if name == "phone":
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(text, "US"))
        except phonenumbers.NumberParseException:
            valid = False
        return normalize_phone(text) if valid else text
    return text


def read_csv(path: Path, display: str | None = None) -> tuple[list[Entry[Provider]], list[Problem]]:
    """Read a spreadsheet export; problems name the spreadsheet row (the header is row 1)."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [problem(name, 1, "", f"the file cannot be read as UTF-8 text: {exc}")]
    sample = text.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in ("id", "name", "services", "source") if c not in columns]
    if missing:
        message = f"the first row must name the columns; missing: {', '.join(missing)}"
        return [], [problem(name, 1, "", message)]
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    for number, record in enumerate(reader, start=2):
        values: dict[str, Any] = {}
        for column, cell in record.items():
            if column is None:
                message = "this row has more cells than the first row has column names"
                problems.append(problem(name, number, str(record.get("id") or ""), message))
                continue
            key = column.strip()
            value = _value(key, cell or "")
            if value is not None:
                values[key] = value
        if any(v not in ([], "") for v in values.values()):
            rows.append((number, values))
    entries, found = parse_provider_rows(rows, name)
    return entries, problems + found
