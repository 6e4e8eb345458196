"""Read ``flows/*.yaml`` into ``Flows``, remembering the file and line of every node.

Loading never raises for content mistakes: it collects every ``Problem`` so that an editor sees
all of them at once, each pointing at a file and line. Callers decide whether a problem is fatal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.engine.model import NODE_ID_PATTERN, Flows, Node, Notice, Origin, Source
from bot.engine.yaml_lines import Problem, Severity, explain_yaml_error, line_at, line_of, read_yaml

__all__ = [
    "FileContent",
    "LoadResult",
    "Problem",
    "Severity",
    "explain_yaml_error",
    "load_flows",
    "parse_content_file",
    "parse_flow_file",
]

M = TypeVar("M", bound=BaseModel)


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
    if kind == "value_error":  # our own validators already speak to editors
        return f'field "{loc}": {error.get("ctx", {}).get("error", error["msg"])}'
    return f'field "{loc}": {error["msg"]}'


def _attach_origins(model: BaseModel, raw: Any, file: str) -> None:
    """Record the file and line of a model and of the items in its lists."""
    model._origin = Origin(file=file, line=line_of(raw, 1))  # type: ignore[attr-defined]
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
                    line = lines[index] if index < len(lines) else line_of(raw, 1)
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
    raw, unreadable = read_yaml(path, name)
    if unreadable:
        return FileContent([], [], [], unreadable)
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
                    line_of(raw, 1),
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
            Problem(file, line_of(items, 1), "", "expected a list of items starting with '-'")
        )
        return parsed
    for raw in items:
        line = line_of(raw, line_of(items, 1))
        ident = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                message = _explain(error)
                where = line_at(raw, error["loc"], line)
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
