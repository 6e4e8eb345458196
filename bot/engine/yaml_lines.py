"""Content files as editors write them: YAML read with the line of every key, and ``Problem``.

Flows (``bot.engine.loader``) and the legal-aid directory (``bot.directory.loader``) read their
files the same way, so a slip reads the same in both: one loader that knows the line of every
mapping, list item and key; one ``Problem`` that says ``file:line: kind "id": message``; one
explanation of YAML syntax errors in an editor's words.

``load_lines`` parses with libyaml when PyYAML has it (several times faster: reading the content
is most of the service's start) and, for a file with an error, again with the pure-Python
parser, whose messages ``explain_yaml_error`` knows: the same data, the same words for slips.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = [
    "LineDict",
    "LineList",
    "LineLoader",
    "Problem",
    "Severity",
    "explain_yaml_error",
    "line_at",
    "line_of",
    "load_lines",
    "read_yaml",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, said so an editor can find and fix it.

    ``subject`` is the id of what is wrong (a node, a provider, a resource; empty for the whole
    file) and ``kind`` names it in the message."""

    file: str
    line: int
    subject: str
    message: str
    severity: Severity = "error"
    kind: str = "node"
    unreadable: bool = field(default=False, compare=False)
    """The whole file could not be read, so checks that need its content would only mislead."""

    @property
    def node(self) -> str:
        """The node id of a flow problem (the name flow code and tests use)."""
        return self.subject

    def __str__(self) -> str:
        where = f'{self.kind} "{self.subject}": ' if self.subject else ""
        label = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {label}{where}{self.message}"


class LineDict(dict[str, Any]):
    """A YAML mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]
    """The line of each key, so an error in a plain value (a date, a label) points at its line."""


class LineList(list[Any]):
    """A YAML list that knows its own line and the line of each item."""

    line: int = 0
    lines: tuple[int, ...] = ()


_BOOL_TAG = "tag:yaml.org,2002:bool"


class LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings and lists know the line they start on (1-based).

    It reads booleans as YAML 1.2 does (only ``true`` and ``false``), so a button labelled
    ``No``, ``Yes``, ``On`` or ``Off`` stays text and editors never have to quote it.
    """

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML reads this class attribute
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


LineLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        if isinstance(key, str):
            result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = tuple(child.start_mark.line + 1 for child in node.value)
    return result


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode) -> object:
    """A date YAML recognises but cannot build (2026-13-01) becomes an error with its line."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f'"{node.value}" is not a real date ({exc})', node.start_mark
        ) from None


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_FastLoader: type[Any] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLineLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined,unused-ignore]
        """``LineLoader``'s resolvers and constructors over libyaml's parser."""

        yaml_implicit_resolvers = LineLoader.yaml_implicit_resolvers
        yaml_constructors = LineLoader.yaml_constructors

    _FastLoader = _CLineLoader


def load_lines(text: str) -> Any:
    """``text``'s YAML as ``LineLoader`` reads it (``yaml.YAMLError`` from that loader too)."""
    if _FastLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass  # read again below, for the pure-Python parser's messages
    return yaml.load(text, Loader=LineLoader)


def line_of(data: Any, default: int) -> int:
    """The line a mapping or list starts on, or ``default`` for a plain value."""
    return int(getattr(data, "line", default) or default)


def line_at(data: Any, loc: Iterable[int | str], default: int) -> int:
    """Follow a pydantic error location into the raw YAML to the line of that field or item."""
    line = line_of(data, default)
    for part in loc:
        if isinstance(part, str) and isinstance(data, LineDict):
            line = data.key_lines.get(part, line)
        elif isinstance(part, int) and isinstance(data, LineList) and 0 <= part < len(data.lines):
            line = data.lines[part]
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            break
        line = line_of(data, line)
    return line


def explain_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line and plain words for a YAML syntax error, for the slips editors make most."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    context_line = exc.context_mark.line + 1 if exc.context_mark else line
    if isinstance(exc, yaml.constructor.ConstructorError) and "is not a real date" in problem:
        return line, f"{problem}; write dates as YYYY-MM-DD"
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


def read_yaml(path: Path, display: str, kind: str = "node") -> tuple[Any, list[Problem]]:
    """The file's YAML with lines, or ``None`` and the one problem that makes it unreadable."""
    try:
        return load_lines(path.read_text(encoding="utf-8")), []
    except yaml.MarkedYAMLError as exc:
        line, why = explain_yaml_error(exc)
        why += " (the other checks run once this file can be read)"
        return None, [Problem(display, line, "", why, kind=kind, unreadable=True)]
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        why = f"the file cannot be read as YAML text: {exc}"
        return None, [Problem(display, 1, "", why, kind=kind, unreadable=True)]
