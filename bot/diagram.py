"""The flow graph as a picture for editors: Mermaid and Graphviz DOT text, and SVG through Graphviz.

Each screen is a box labelled with its id and (English) title; legal screens are shaded and show
the date they were reviewed, so an out-of-date screen is easy to spot. Arrows are buttons
(labelled) and typed-text steps (dashed). Mermaid and DOT need nothing installed; SVG needs the
Graphviz ``dot`` program, and says so plainly when it is missing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from typing import Literal

from bot.engine.model import Flows, Node

__all__ = [
    "GRAPHVIZ_MISSING",
    "DiagramFormat",
    "GraphvizMissing",
    "graphviz_available",
    "render",
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


def _edges(flows: Flows) -> Iterator[tuple[str, str, str, bool]]:
    """``(from, to, label, typed)`` for every button and typed-text step to an existing node."""
    for node in flows.nodes.values():
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


def to_dot(flows: Flows) -> str:
    """Graphviz DOT text (``dot -Tsvg`` or any Graphviz viewer draws it)."""
    out = [
        "digraph helpline {",
        '    graph [rankdir=LR, fontname="Helvetica", nodesep=0.3, ranksep=0.8];',
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff",'
        ' fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    for node in flows.nodes.values():
        label = "\\n".join(_dot_text(line) for line in _lines(node))
        extra = f', fillcolor="{LEGAL_FILL}", penwidth=2' if node.legal else ""
        out.append(f'    "{_dot_text(node.id)}" [label="{label}"{extra}];')
    for source, target, label, typed in _edges(flows):
        style = ", style=dashed" if typed else ""
        out.append(f'    "{source}" -> "{target}" [label="{_dot_text(label)}"{style}];')
    out.append("}")
    return "\n".join(out) + "\n"


def to_svg(flows: Flows) -> bytes:
    """An SVG picture drawn by Graphviz; raises ``GraphvizMissing`` without it."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing
    result = subprocess.run(
        [dot, "-Tsvg"],
        input=to_dot(flows).encode("utf-8"),
        capture_output=True,
        timeout=DOT_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"Graphviz could not draw the diagram: {result.stderr.decode(errors='replace')}"
        )
    return result.stdout


def render(flows: Flows, fmt: DiagramFormat) -> bytes:
    """The diagram in one of the formats, as bytes ready to write to a file."""
    if fmt == "svg":
        return to_svg(flows)
    if fmt == "dot":
        return to_dot(flows).encode("utf-8")
    return to_mermaid(flows).encode("utf-8")
