"""Read ``flows/*.yaml`` into ``Flows``, remembering the file and line of every node.

Loading never raises for content mistakes: it collects every ``Problem`` so that an editor sees
all of them at once, each pointing at a file and line. Callers decide whether a problem is fatal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.engine.model import NODE_ID_PATTERN, Flows, Node, Notice, Origin, Source

__all__ = [
    "FileContent",
    "LoadResult",
    "Problem",
    "load_flows",
    "parse_content_file",
    "parse_flow_file",
]

Severity = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, said so an editor can find and fix it."""

    file: str
    line: int
    node: str
    message: str
    severity: Severity = "error"
    unreadable: bool = field(default=False, compare=False)
    """The whole file could not be read, so checks that need its content would only mislead."""

    def __str__(self) -> str:
        where = f'node "{self.node}": ' if self.node else ""
        label = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {label}{where}{self.message}"


@dataclass(frozen=True)
class LoadResult:
    """The content that could be read, and every problem met on the way."""

    flows: Flows
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Problems that would break the helpline for people."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def unreadable(self) -> list[Problem]:
        """Files that could not be read at all; they must be fixed before anything else."""
        return [p for p in self.problems if p.unreadable]


class _LineDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]
    """The line of each key, so an error in a plain value (a date, a label) points at its line."""


class _LineList(list[Any]):
    line: int = 0
    lines: tuple[int, ...] = ()


_BOOL_TAG = "tag:yaml.org,2002:bool"


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings and lists know the line they start on (1-based).

    It reads booleans as YAML 1.2 does (only ``true`` and ``false``), so a button labelled
    ``No``, ``Yes``, ``On`` or ``Off`` stays text and editors never have to quote it.
    """

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML reads this class attribute
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_LineLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        if isinstance(key, str):
            result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    result = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = tuple(child.start_mark.line + 1 for child in node.value)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(data: Any, default: int) -> int:
    return int(getattr(data, "line", default) or default)


def _line_at(data: Any, loc: Iterable[int | str], default: int) -> int:
    """Follow a pydantic error location into the raw YAML to find the closest line."""
    line = _line_of(data, default)
    for part in loc:
        if isinstance(part, str) and isinstance(data, _LineDict):
            line = data.key_lines.get(part, line)
        elif isinstance(part, int) and isinstance(data, _LineList) and part < len(data.lines):
            line = data.lines[part]
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            break
        line = _line_of(data, line)
    return line


def _explain(error: Any) -> str:
    """Turn one pydantic error into words for an editor."""
    loc = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f'unknown field "{error["loc"][-1]}" (check the spelling; see CONTENT.md for fields)'
    if kind == "missing":
        return f'the field "{loc}" is required'
    if kind.startswith(("date_", "datetime_")):
        return (
            f'the date in "{loc}" ({error.get("input")!r}) must be written year-month-day, '
            "for example 2026-11-23 for 23 November 2026"
        )
    if kind == "string_type":
        return (
            f'field "{loc}" must be text, but it reads as {error.get("input")!r}; '
            'put it in quotes, for example "911"'
        )
    return f'field "{loc}": {error["msg"]}'


def explain_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line and plain words for a YAML syntax error, for the slips editors make most."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    context_line = exc.context_mark.line + 1 if exc.context_mark else line
    if "\\t" in problem:
        return line, (
            "this line has a tab character; YAML needs spaces for indentation. Replace the tab "
            "with spaces (most editors can convert tabs to spaces)"
        )
    if "could not find expected ':'" in problem:
        return context_line, (
            'this line is missing a colon (:) after the field name, as in "title: Welcome" '
            'or "- label: Yes"'
        )
    if "mapping values are not allowed" in problem:
        return line, (
            "YAML did not expect a colon (:) here. Either this line is indented with more or "
            "fewer spaces than the fields around it, or the line just above is missing the "
            'colon after its field name, or a text that contains ": " must be put in quotes'
        )
    if "while scanning a quoted scalar" in (exc.context or ""):
        return context_line, "a quote opened on this line is never closed; add the closing quote"
    if "found '<scalar>'" in problem:
        return line, (
            "there is more text after a closing quote. When a text starts with a quote, put the "
            "whole text in quotes, for example note: 'He said \"yes\" and left'"
        )
    if "block mapping start" in problem or "block end" in problem:
        return line, (
            "this line is indented differently from the lines around it; line up the fields of "
            "one item with the same number of spaces"
        )
    return (
        line,
        f"YAML syntax error: {problem or 'the YAML cannot be read'} (check indentation and quotes)",
    )


def _attach_origins(model: BaseModel, raw: Any, file: str) -> None:
    """Record the file and line of a model and of the items in its lists."""
    model._origin = Origin(file=file, line=_line_of(raw, 1))  # type: ignore[attr-defined]
    if not isinstance(raw, dict):
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        raw_value = raw.get(name)
        if isinstance(value, BaseModel) and isinstance(raw_value, dict):
            _attach_origins(value, raw_value, file)
        elif isinstance(value, list) and isinstance(raw_value, list):
            lines = getattr(raw_value, "lines", ())
            for index, (item, raw_item) in enumerate(zip(value, raw_value, strict=False)):
                if not isinstance(item, BaseModel):
                    continue
                if isinstance(raw_item, dict):
                    _attach_origins(item, raw_item, file)
                else:
                    line = lines[index] if index < len(lines) else _line_of(raw, 1)
                    item._origin = Origin(file=file, line=line)  # type: ignore[attr-defined]


_TOP_LEVEL = ("nodes", "sources", "notices")


@dataclass(frozen=True)
class FileContent:
    """What one flow file holds: screens, citations, dated notices, and the problems met."""

    nodes: list[Node]
    sources: list[Source]
    notices: list[Notice]
    problems: list[Problem]


def parse_flow_file(
    path: Path, display: str | None = None
) -> tuple[list[Node], list[Source], list[Problem]]:
    """Parse one flow file into nodes and sources, collecting problems instead of raising."""
    content = parse_content_file(path, display)
    return content.nodes, content.sources, content.problems


def parse_content_file(path: Path, display: str | None = None) -> FileContent:
    """Parse one flow file into nodes, sources and notices, collecting problems."""
    name = display or str(path)
    problems: list[Problem] = []
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line, why = explain_yaml_error(exc)
        why += " (the other checks run once this file can be read)"
        return FileContent([], [], [], [Problem(name, line, "", why, unreadable=True)])
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        why = f"the file cannot be read as YAML text: {exc}"
        return FileContent([], [], [], [Problem(name, 1, "", why, unreadable=True)])
    if raw is None:
        return FileContent([], [], [], [])
    if not isinstance(raw, dict):
        problem = Problem(name, 1, "", 'a flow file must start with "nodes:" or "sources:"')
        return FileContent([], [], [], [problem])
    for key in raw:
        if key not in _TOP_LEVEL:
            problems.append(
                Problem(
                    name,
                    _line_of(raw, 1),
                    "",
                    f'unknown top-level field "{key}" (use "nodes:", "sources:" or "notices:")',
                )
            )
    nodes = _parse_items(raw.get("nodes") or [], Node, name, problems)
    sources = _parse_items(raw.get("sources") or [], Source, name, problems)
    notices = _parse_items(raw.get("notices") or [], Notice, name, problems, "notice")
    return FileContent(nodes, sources, notices, problems)


def _parse_items(
    items: Any, model: type[M], file: str, problems: list[Problem], kind: str = "node"
) -> list[M]:
    """Parse each item; a problem names the node, or for other kinds starts with their id."""
    parsed: list[M] = []
    if not isinstance(items, list):
        problems.append(
            Problem(file, _line_of(items, 1), "", "expected a list of items starting with '-'")
        )
        return parsed
    for raw in items:
        line = _line_of(raw, _line_of(items, 1))
        ident = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                message = _explain(error)
                where = _line_at(raw, error["loc"], line)
                if kind == "node":
                    problems.append(Problem(file, where, ident, message))
                else:
                    problems.append(Problem(file, where, "", f'{kind} "{ident}": {message}'))
            continue
        _attach_origins(item, raw, file)
        parsed.append(item)
    return parsed


def load_flows(flows_dir: Path, root: Path | None = None) -> LoadResult:
    """Load every ``*.yaml`` directly inside ``flows_dir``; subfolders hold other data."""
    problems: list[Problem] = []
    nodes: dict[str, Node] = {}
    sources: dict[str, Source] = {}
    notices: dict[str, Notice] = {}
    base = root or flows_dir.parent
    for path in sorted(flows_dir.glob("*.yaml")):
        display = _display(path, base)
        content = parse_content_file(path, display)
        file_nodes, file_sources = content.nodes, content.sources
        problems.extend(content.problems)
        for notice in content.notices:
            line = notice.origin.line if notice.origin else 1
            if not NODE_ID_PATTERN.match(notice.id):
                problems.append(
                    Problem(
                        display,
                        line,
                        "",
                        f'notice "{notice.id}": an id uses only lowercase letters, digits and _ '
                        "(40 at most)",
                    )
                )
            if notice.id in notices:
                first = notices[notice.id].origin
                problems.append(
                    Problem(
                        display,
                        line,
                        "",
                        f'notice "{notice.id}": duplicate notice id (first defined at {first})',
                    )
                )
                continue
            notices[notice.id] = notice
        for node in file_nodes:
            line = node.origin.line if node.origin else 1
            if not NODE_ID_PATTERN.match(node.id):
                problems.append(
                    Problem(
                        display,
                        line,
                        node.id,
                        "a node id uses only lowercase letters, digits and _ (40 at most)",
                    )
                )
            if node.id in nodes:
                first = nodes[node.id].origin
                problems.append(
                    Problem(display, line, node.id, f"duplicate node id (first defined at {first})")
                )
                continue
            nodes[node.id] = node
        for source in file_sources:
            if source.id in sources:
                line = source.origin.line if source.origin else 1
                problems.append(Problem(display, line, "", f'duplicate source id "{source.id}"'))
                continue
            sources[source.id] = source
    flows = Flows(nodes=nodes, sources=sources, notices=notices)
    if not any(problem.unreadable for problem in problems):
        # A file that cannot be read would make every link into it look broken: those follow-on
        # errors, in files the editor never touched, would hide the one real mistake.
        problems.extend(check_links(flows))
    return LoadResult(flows=flows, problems=sorted(problems))


def check_links(flows: Flows) -> list[Problem]:
    """Every button, input and source reference points at something that exists."""
    problems: list[Problem] = []
    for node in flows.nodes.values():
        file, line = (node.origin.file, node.origin.line) if node.origin else ("?", 1)
        for button in node.buttons:
            if button.goto not in flows.nodes:
                where = button.origin.line if button.origin else line
                problems.append(
                    Problem(
                        file,
                        where,
                        node.id,
                        f'button "{button.label}" goes to unknown node "{button.goto}"',
                    )
                )
        if node.input and node.input.next and node.input.next not in flows.nodes:
            where = node.input.origin.line if node.input.origin else line
            problems.append(
                Problem(
                    file, where, node.id, f'input goes next to unknown node "{node.input.next}"'
                )
            )
        for source in node.sources:
            if flows.sources and source not in flows.sources:
                problems.append(
                    Problem(
                        file,
                        line,
                        node.id,
                        f'unknown source "{source}" (add it to flows/sources.yaml)',
                    )
                )
    return problems


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
