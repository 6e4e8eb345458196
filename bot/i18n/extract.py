"""A Babel extractor for flow YAML, registered under the ``babel.extractors`` entry point.

``pybabel extract`` calls it for ``flows/*.yaml`` (see ``babel.cfg``) so every title, message,
button label, notice text and source summary becomes a msgid, with the node id (or notice id)
and any editor ``note`` as a translator comment (``#.``) and the YAML line as its location. A
button's optional ``short`` label (for WhatsApp) is a msgid too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO, Any

import yaml

from bot.engine.yaml_lines import LineLoader

__all__ = ["extract_flows"]

ExtractResult = tuple[int, str | None, str, list[str]]


def extract_flows(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: list[str],
    options: Mapping[str, Any],
) -> Iterator[ExtractResult]:
    """Yield ``(lineno, funcname, message, comments)`` for every translatable string."""
    try:
        raw = yaml.load(fileobj.read().decode("utf-8"), Loader=LineLoader)
    except yaml.YAMLError:
        return
    if not isinstance(raw, dict):
        return
    for node in raw.get("nodes") or []:
        if not isinstance(node, dict):
            continue
        yield from _node_strings(node)
    for notice in raw.get("notices") or []:
        if isinstance(notice, dict) and isinstance(notice.get("text"), str):
            comments = [f"notice {notice.get('id', '')}", "banner at the top of the main menu"]
            if isinstance(notice.get("note"), str):
                comments.append(notice["note"])
            yield _line(notice), None, notice["text"], comments
    for source in raw.get("sources") or []:
        if isinstance(source, dict) and isinstance(source.get("summary"), str):
            yield _line(source), None, source["summary"], [f"source {source.get('id', '')}"]


def _node_strings(node: dict[str, Any]) -> Iterator[ExtractResult]:
    node_id = str(node.get("id", ""))
    comments = [f"node {node_id}"]
    if isinstance(node.get("note"), str):
        comments.append(node["note"])
    if isinstance(node.get("title"), str):
        yield _line(node), None, node["title"], [*comments, "title (menus and diagrams)"]
    messages = node.get("messages") or []
    lines = getattr(messages, "lines", ())
    for index, message in enumerate(messages):
        text = message if isinstance(message, str) else (message or {}).get("text")
        if isinstance(text, str):
            line = lines[index] if index < len(lines) else _line(node)
            yield line, None, text, comments
    for button in node.get("buttons") or []:
        if isinstance(button, dict) and isinstance(button.get("label"), str):
            yield (
                _line(button, _line(node)),
                None,
                button["label"],
                [*comments, "button: keep it short"],
            )
        if isinstance(button, dict) and isinstance(button.get("short"), str):
            yield (
                _line(button, _line(node)),
                None,
                button["short"],
                [*comments, "short button label for WhatsApp: 20 characters at most"],
            )


def _line(item: Any, default: int = 1) -> int:
    return int(getattr(item, "line", default) or default)
