"""The flow graph as a picture for editors: Mermaid and Graphviz DOT text, and SVG through Graphviz.

Each screen is a box labelled with its id and (English) title; legal screens are shaded and show
the date they were reviewed, so an out-of-date screen is easy to spot. Arrows are buttons
(labelled) and typed-text steps (dashed). Mermaid and DOT need nothing installed; SVG needs the
Graphviz ``dot`` program, and says so plainly when it is missing.

The whole graph is too wide to read (thousands of pixels), so every function also draws one flow
file (``file="asylum.yaml"``): its screens top to bottom, and each screen of another file it leads
to as a dashed box linking to that file's diagram. ``simple_svg`` draws one file with our own
small layout (``bot.diagram_layout``: narrow enough for a phone, no Graphviz, no script);
``file_svg`` is Graphviz's wider drawing of it, where Graphviz is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import PurePath
from typing import Literal

from bot.diagram_layout import Box, Link, layered_svg
from bot.engine.model import Flows, Node

__all__ = [
    "GRAPHVIZ_MISSING",
    "DiagramFormat",
    "GraphvizMissing",
    "file_anchor",
    "file_svg",
    "flow_files",
    "graphviz_available",
    "render",
    "simple_svg",
    "to_dot",
    "to_mermaid",
    "to_svg",
]

DiagramFormat = Literal["svg", "mermaid", "dot"]
GRAPHVIZ_MISSING = "Graphviz is not installed; use --format mermaid"
LEGAL_FILL = "#fff4d6"
EDGE_LABEL_MAX = 30
DOT_TIMEOUT_SECONDS = 60


class GraphvizMissing(RuntimeError):
    """SVG was asked for but the Graphviz ``dot`` program is not on this machine."""

    def __init__(self) -> None:
        super().__init__(GRAPHVIZ_MISSING)


def graphviz_available() -> bool:
    """True when the Graphviz ``dot`` program can be run."""
    return shutil.which("dot") is not None


def _lines(node: Node) -> list[str]:
    lines = [node.id, node.title]
    if node.legal:
        lines.append(
            f"legal, reviewed {node.reviewed.isoformat()}"
            if node.reviewed
            else "legal, NOT reviewed"
        )
    return lines


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EDGE_LABEL_MAX else flat[: EDGE_LABEL_MAX - 1] + "…"


def _file_of(node: Node) -> str:
    return PurePath(node.origin.file).name if node.origin else "flows"


def flow_files(flows: Flows) -> dict[str, list[Node]]:
    """Screens per flow file (``main.yaml`` first, then by name), in the order they are written."""
    files: dict[str, list[Node]] = {}
    for node in flows.nodes.values():
        files.setdefault(_file_of(node), []).append(node)
    return dict(sorted(files.items(), key=lambda item: (item[0] != "main.yaml", item[0])))


def file_anchor(file: str) -> str:
    """The page anchor of a file's diagram: ``asylum.yaml`` → ``flow-asylum``."""
    return "flow-" + PurePath(file).stem


def _in(flows: Flows, file: str | None) -> list[Node]:
    if file is None:
        return list(flows.nodes.values())
    return flow_files(flows).get(file, [])


def _edges(flows: Flows, file: str | None = None) -> Iterator[tuple[str, str, str, bool]]:
    """``(from, to, label, typed)`` for every button and typed-text step to an existing node
    (from the screens of ``file`` only, when given)."""
    for node in _in(flows, file):
        for button in node.buttons:
            if button.goto in flows.nodes:
                yield node.id, button.goto, _short(button.label), False
        if node.input and node.input.next in flows.nodes:
            yield node.id, node.input.next, "typed text", True


# -- Mermaid --------------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
    )


def _mermaid_id(node_id: str) -> str:
    """Prefixed so that ids such as ``end`` or ``o...`` never clash with Mermaid syntax."""
    return f"n_{node_id}"


def to_mermaid(flows: Flows) -> str:
    """A Mermaid flowchart (renders in GitHub, GitLab and most Markdown editors)."""
    out = ["flowchart LR"]
    for node in flows.nodes.values():
        label = "<br/>".join(_mermaid_text(line) for line in _lines(node))
        out.append(f'    {_mermaid_id(node.id)}["{label}"]')
    for source, target, label, typed in _edges(flows):
        arrow = "-.->" if typed else "-->"
        out.append(
            f'    {_mermaid_id(source)} {arrow}|"{_mermaid_text(label)}"| {_mermaid_id(target)}'
        )
    legal = [_mermaid_id(n.id) for n in flows.nodes.values() if n.legal]
    out.append(f"    classDef legal fill:{LEGAL_FILL},stroke:#b8860b,stroke-width:2px")
    if legal:
        out.append(f"    class {','.join(legal)} legal")
    return "\n".join(out) + "\n"


# -- Graphviz -------------------------------------------------------------------------------------


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(flows: Flows, file: str | None = None) -> str:
    """Graphviz DOT text (``dot -Tsvg`` or any Graphviz viewer draws it); one file, top to bottom,
    when ``file`` is given, with links to the diagrams of the other files."""
    direction = "TB" if file else "LR"
    out = [
        "digraph helpline {",
        f'    graph [rankdir={direction}, fontname="Helvetica", nodesep=0.3, ranksep=0.5];',
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff",'
        ' fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    here = {node.id for node in _in(flows, file)}
    for node in _in(flows, file):
        label = "\\n".join(_dot_text(line) for line in _lines(node))
        extra = f', fillcolor="{LEGAL_FILL}", penwidth=2' if node.legal else ""
        out.append(f'    "{_dot_text(node.id)}" [label="{label}"{extra}];')
    for target in dict.fromkeys(t for _s, t, _l, _t in _edges(flows, file) if t not in here):
        other = flows.nodes[target]
        label = "\\n".join(_dot_text(line) for line in _other_lines(other))
        out.append(
            f'    "{_dot_text(target)}" [label="{label}", style="rounded,dashed,filled", '
            f'fillcolor="#eef2ff", URL="#{file_anchor(_file_of(other))}", target="_self"];'
        )
    for source, target, label, typed in _edges(flows, file):
        style = ", style=dashed" if typed else ""
        out.append(f'    "{source}" -> "{target}" [label="{_dot_text(label)}"{style}];')
    out.append("}")
    return "\n".join(out) + "\n"


def _other_lines(node: Node) -> list[str]:
    return [f"→ {_file_of(node)}", node.id, node.title]


def to_svg(flows: Flows, file: str | None = None) -> bytes:
    """An SVG picture drawn by Graphviz; raises ``GraphvizMissing`` without it."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing
    result = subprocess.run(
        [dot, "-Tsvg"],
        input=to_dot(flows, file).encode("utf-8"),
        capture_output=True,
        timeout=DOT_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"Graphviz could not draw the diagram: {result.stderr.decode(errors='replace')}"
        )
    return result.stdout


def simple_svg(flows: Flows, file: str) -> str:
    """One file drawn by our own layout (no Graphviz, no script): tall and narrow for a phone."""
    nodes = _in(flows, file)
    here = {node.id for node in nodes}
    boxes = [
        Box(node.id, tuple(_lines(node)), legal=node.legal, anchor=f"screen-{node.id}")
        for node in nodes
    ]
    links = [Link(s, t, label, typed) for s, t, label, typed in _edges(flows, file)]
    for target in dict.fromkeys(link.target for link in links if link.target not in here):
        other = flows.nodes[target]
        href = "#" + file_anchor(_file_of(other))
        boxes.append(Box(target, tuple(_other_lines(other)), href=href))
    return layered_svg(boxes, links, f"Screens of {file}")


def file_svg(flows: Flows, file: str) -> str | None:
    """Graphviz's drawing of one file as inline SVG, or ``None`` when Graphviz is missing or fails.

    It lays a menu's screens side by side, so it is wide (up to a few thousand points for a big
    file); the admin page shows it beside ``simple_svg``'s narrow drawing, not instead of it.
    """
    if not graphviz_available():
        return None
    try:
        svg = to_svg(flows, file).decode("utf-8")
    except (GraphvizMissing, RuntimeError, OSError, subprocess.TimeoutExpired):
        return None
    return svg[svg.find("<svg") :]


def render(flows: Flows, fmt: DiagramFormat) -> bytes:
    """The diagram in one of the formats, as bytes ready to write to a file."""
    if fmt == "svg":
        return to_svg(flows)
    if fmt == "dot":
        return to_dot(flows).encode("utf-8")
    return to_mermaid(flows).encode("utf-8")
