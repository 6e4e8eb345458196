"""Read ``flows/legal_aid/providers.yaml`` and ``national.yaml``, reporting every mistake by line.

Like the flow loader (``bot.engine.loader``), loading never stops at the first mistake: it
collects a ``Problem`` for each one, pointing at the exact line of the field, so an editor fixes
them all in one pass. The same checks run on a spreadsheet import (``bot.directory.csvio``), where
the "line" is the spreadsheet row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from bot.directory.model import NationalResource, Provider
from bot.engine.yaml_lines import LineDict, Problem, Severity, line_at, line_of, read_yaml

__all__ = [
    "NATIONAL_FILE",
    "PROVIDERS_FILE",
    "DirectoryData",
    "Entry",
    "Problem",
    "check_national",
    "check_providers",
    "load_directory_data",
    "parse_national_file",
    "parse_provider_rows",
    "parse_providers_file",
    "problem",
]

PROVIDERS_FILE = "providers.yaml"
NATIONAL_FILE = "national.yaml"

Kind = Literal["provider", "resource"]
M = TypeVar("M", bound=BaseModel)


def problem(
    file: str,
    line: int,
    subject: str,
    message: str,
    severity: Severity = "error",
    kind: Kind = "provider",
) -> Problem:
    """A directory problem (the shared ``Problem``), about a provider unless ``kind`` says so."""
    return Problem(file, line, subject, message, severity, kind)


@dataclass(frozen=True)
class Entry(Generic[M]):
    """A parsed item and the lines its fields were written on (for later checks)."""

    item: M
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        """The line of one field, or of the item when the field was not written."""
        return self.field_lines.get(name, self.line)


@dataclass(frozen=True)
class DirectoryData:
    """Everything read from the directory folder, and every problem met."""

    providers: list[Provider]
    national: list[NationalResource]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Problems that must be fixed before the directory is used."""
        return [p for p in self.problems if p.severity == "error"]


_NULLABLE = {"interpretation", "doj_recognized", "last_verified", "state", "source_date"}


def _explain(error: Any) -> str:
    """One pydantic error in words for an editor, starting with the field it is about."""
    loc = error["loc"]
    name = str(loc[0]) if loc else ""
    kind = error["type"]
    or_null = ", or null when unknown" if name in _NULLABLE else ""
    if kind == "value_error":
        return f"{name}: {error['ctx']['error']}"
    if kind == "extra_forbidden":
        return (
            f'unknown field "{loc[-1]}" (check the spelling; the fields are listed at the top '
            "of the file)"
        )
    if kind == "missing":
        return f'the field "{name}" is required'
    if kind.startswith("bool"):
        return f"{name}: write true or false{or_null}"
    if kind.startswith("date"):
        return f"{name}: write the date as YYYY-MM-DD, e.g. 2026-11-23{or_null}"
    if kind == "list_type":
        return f"{name}: write a list in square brackets, e.g. [es, en]"
    if kind == "too_short":
        return f"{name}: list at least one"
    if kind == "string_type":
        return f'{name}: write this in quotes, e.g. {name}: "..."'
    if kind == "literal_error" and name == "confidence":
        return "confidence: write G (official text), S (secondary source) or ? (not confirmed)"
    return f"{name}: {error['msg']}"


def _read_yaml(path: Path, name: str, top: str, kind: Kind) -> tuple[Any, list[Problem]]:
    raw, unreadable = read_yaml(path, name, kind)
    if unreadable:
        return None, unreadable
    if raw is None:
        return [], []
    if not isinstance(raw, dict) or top not in raw:
        return None, [problem(name, 1, "", f'the file must start with "{top}:"', kind=kind)]
    problems = [
        problem(
            name, line_of(raw, 1), "", f'unknown top-level field "{key}" (use "{top}:")', kind=kind
        )
        for key in raw
        if key != top
    ]
    items = raw[top] or []
    if not isinstance(items, list):
        problems.append(
            problem(
                name,
                line_of(items, 1),
                "",
                "expected a list of entries starting with '-'",
                kind=kind,
            )
        )
        return [], problems
    return items, problems


def _parse_items(
    items: Sequence[Any], model: type[M], name: str, kind: Kind, default_line: int = 1
) -> tuple[list[Entry[M]], list[Problem]]:
    entries: list[Entry[M]] = []
    problems: list[Problem] = []
    for raw in items:
        line = line_of(raw, default_line)
        ident = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        if not isinstance(raw, dict):
            problems.append(
                problem(
                    name,
                    line,
                    "",
                    "each entry must be a set of fields (id: ..., name: ...)",
                    kind=kind,
                )
            )
            continue
        try:
            item = model.model_validate(dict(raw))
        except ValidationError as exc:
            for error in exc.errors():
                at = line_at(raw, error["loc"], line)
                problems.append(problem(name, at, ident, _explain(error), kind=kind))
            continue
        entries.append(Entry(item, line, dict(getattr(raw, "key_lines", {}))))
    return entries, problems


def parse_providers_file(
    path: Path, display: str | None = None
) -> tuple[list[Entry[Provider]], list[Problem]]:
    """Parse ``providers.yaml``: field problems only (``check_providers`` does the rest)."""
    name = display or str(path)
    items, problems = _read_yaml(path, name, "providers", "provider")
    if items is None:
        return [], problems
    entries, more = _parse_items(items, Provider, name, "provider")
    return entries, problems + more


def parse_provider_rows(
    rows: Sequence[tuple[int, dict[str, Any]]], display: str
) -> tuple[list[Entry[Provider]], list[Problem]]:
    """Parse spreadsheet rows (row number, fields) with the same checks as the YAML file."""
    items = []
    for number, values in rows:
        raw = LineDict(values)
        raw.line = number
        raw.key_lines = dict.fromkeys(values, number)
        items.append(raw)
    return _parse_items(items, Provider, display, "provider")


def parse_national_file(
    path: Path, display: str | None = None
) -> tuple[list[Entry[NationalResource]], list[Problem]]:
    """Parse ``national.yaml`` and check each resource on its own."""
    name = display or str(path)
    items, problems = _read_yaml(path, name, "national", "resource")
    if items is None:
        return [], problems
    entries, more = _parse_items(items, NationalResource, name, "resource")
    problems += more
    seen: dict[str, int] = {}
    for entry in entries:
        resource = entry.item
        if resource.id in seen:
            problems.append(
                problem(
                    name,
                    entry.line,
                    resource.id,
                    f"the id is used twice (first at line {seen[resource.id]})",
                    kind="resource",
                )
            )
        seen.setdefault(resource.id, entry.line)
        if resource.shown and resource.confidence == "?":
            problems.append(
                problem(
                    name,
                    entry.line_of("shown"),
                    resource.id,
                    'confidence "?" means unconfirmed: it is never shown to people; '
                    "set shown: false",
                    kind="resource",
                )
            )
        if resource.shown and not (resource.phone or resource.website):
            problems.append(
                problem(
                    name,
                    entry.line_of("shown"),
                    resource.id,
                    "a resource shown to people needs a phone or a website",
                    kind="resource",
                )
            )
    return entries, problems


def _same_name(name: str) -> str:
    return " ".join(name.casefold().split())


_NO_STATE = (
    'state: give the two-letter code of the state, or write "nationwide: true" for an '
    "organization that serves the whole country"
)
_NO_CONTACT = (
    "has no phone and no website, so people cannot reach it: it is not shown to people until "
    "one is added"
)


def check_providers(
    entries: Sequence[Entry[Provider]], file: str, today: dt.date, warn_days: int, hide_days: int
) -> list[Problem]:
    """Checks across fields and entries: duplicates, missing state, contact, age of the check."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {}
    for entry in entries:
        provider = entry.item
        pid = provider.id
        if pid in ids:
            message = f"the id is used twice (first at line {ids[pid]}); give each entry its own id"
            problems.append(problem(file, entry.line_of("id"), pid, message))
        ids.setdefault(pid, entry.line_of("id"))
        key = _same_name(provider.name)
        if key in names:
            other, line = names[key]
            message = f'the same name is already used by "{other}" at line {line}'
            problems.append(problem(file, entry.line_of("name"), pid, message))
        names.setdefault(key, (pid, entry.line_of("name")))
        if provider.state is None and not provider.nationwide:
            problems.append(problem(file, entry.line_of("state"), pid, _NO_STATE))
        missing = [who for who in provider.serves_only if who not in provider.services]
        if missing:
            message = f'serves_only lists "{missing[0]}" but services does not; add it to services'
            problems.append(problem(file, entry.line_of("serves_only"), pid, message))
        if not provider.contactable:
            problems.append(problem(file, entry.line, pid, _NO_CONTACT, "warning"))
        problems += _age_problems(entry, file, today, warn_days, hide_days)
    return problems


def check_national(
    entries: Sequence[Entry[NationalResource]],
    file: str,
    today: dt.date,
    warn_days: int,
    hide_days: int,
) -> list[Problem]:
    """National resources carry ``last_verified`` like organisations, with the same ages
    (``null``: nobody has confirmed it yet, which people are told).

    They are quoted on a screen, which the helpline cannot hide by itself: one shown and checked
    longer ago than ``hide_days`` is an error until someone checks it again or takes it off the
    screen."""
    problems: list[Problem] = []
    for entry in entries:
        resource = entry.item
        if "last_verified" not in entry.field_lines:
            message = (
                "has no last_verified: add the day a person last confirmed its number or address "
                "(last_verified: YYYY-MM-DD), or last_verified: null if nobody has"
            )
            problems.append(Problem(file, entry.line, resource.id, message, "warning", "resource"))
            continue
        verified = resource.last_verified
        for problem in _age_problems(entry, file, today, warn_days, hide_days):
            hidden = f"more than {hide_days}" in problem.message
            if hidden and resource.shown and verified is not None:
                message = (
                    f"last verified on {verified.isoformat()}, more than {hide_days} "
                    f'days ago, and people still read it on the screen "legal_aid_national": '
                    "check it and update last_verified, or take it off that screen and set "
                    "shown: false"
                )
                problem = Problem(problem.file, problem.line, problem.subject, message, "error")
            problems.append(
                Problem(
                    problem.file,
                    problem.line,
                    problem.subject,
                    problem.message,
                    problem.severity,
                    "resource",
                )
            )
    return problems


def _age_problems(
    entry: Entry[Provider] | Entry[NationalResource],
    file: str,
    today: dt.date,
    warn_days: int,
    hide_days: int,
) -> list[Problem]:
    verified = entry.item.last_verified
    if verified is None:
        return []
    line, pid, day = entry.line_of("last_verified"), entry.item.id, verified.isoformat()
    age = (today - verified).days
    if age < 0:
        message = f"last_verified: {day} is in the future; write the day someone really checked it"
        return [problem(file, line, pid, message)]
    if age > hide_days:
        message = (
            f"last verified on {day}, {age} days ago (more than {hide_days}): it is hidden from "
            "people until someone checks it and updates last_verified"
        )
        return [problem(file, line, pid, message, "warning")]
    if age > warn_days:
        message = (
            f"last verified on {day}, {age} days ago (more than {warn_days}): people see it with "
            "a warning; check it and update last_verified"
        )
        return [problem(file, line, pid, message, "warning")]
    return []


def load_directory_data(
    folder: Path,
    today: dt.date,
    warn_days: int,
    hide_days: int,
    root: Path | None = None,
) -> DirectoryData:
    """Read both files of the directory folder with every check; a missing file is an error."""
    base = root or folder.parent.parent
    problems: list[Problem] = []
    providers_path = folder / PROVIDERS_FILE
    national_path = folder / NATIONAL_FILE
    providers: list[Entry[Provider]] = []
    national: list[Entry[NationalResource]] = []
    if providers_path.exists():
        display = _display(providers_path, base)
        providers, found = parse_providers_file(providers_path, display)
        problems += found + check_providers(providers, display, today, warn_days, hide_days)
    else:
        problems.append(problem(_display(providers_path, base), 1, "", "the file is missing"))
    if national_path.exists():
        display = _display(national_path, base)
        national, found = parse_national_file(national_path, display)
        problems += found + check_national(national, display, today, warn_days, hide_days)
    else:
        problems.append(
            problem(_display(national_path, base), 1, "", "the file is missing", kind="resource")
        )
    return DirectoryData(
        providers=[e.item for e in providers],
        national=[e.item for e in national],
        problems=sorted(problems),
    )


def _display(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)
