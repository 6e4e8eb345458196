"""A small layered SVG layout for one flow file, drawn without Graphviz or any script.

The admin diagram must be readable on a phone and must not depend on a CDN (a Mermaid renderer is
a large script from elsewhere), so when Graphviz is missing we draw the picture ourselves: screens
in layers from the file's first screen downwards, at most ``COLUMNS`` side by side, so the drawing
is tall and narrow and scrolls like a page. Forward links are solid curves, links back up the page
dashed; a screen in another file is a dashed box linking to that file's diagram.
"""

from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass, field
from html import escape

__all__ = ["Box", "Link", "layered_svg"]

COLUMNS = 2
BOX_WIDTH = 160
GAP_X = 24
GAP_Y = 44
MARGIN = 16
LINE_HEIGHT = 15
PADDING = 8
CHARS_PER_LINE = 24
LEGAL_FILL = "#fff4d6"
OTHER_FILL = "#eef2ff"


@dataclass(frozen=True)
class Box:
    """A screen (or a screen of another file, with ``href`` to that file's diagram)."""

    id: str
    lines: tuple[str, ...]
    legal: bool = False
    href: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Link:
    """A button (``label``) or a typed-text step (``typed``) from one box to another."""

    source: str
    target: str
    label: str
    typed: bool = False


@dataclass
class _Placed:
    box: Box
    x: float
    y: float
    height: float
    row: int = 0
    lines: list[str] = field(default_factory=list)


def _layers(boxes: list[Box], links: list[Link]) -> dict[str, int]:
    """Breadth-first depth from the screens nothing in the file leads to (or the first one)."""
    ids = [b.id for b in boxes if b.href is None]
    children: dict[str, list[str]] = {i: [] for i in ids}
    has_parent: set[str] = set()
    for link in links:
        if link.source in children and link.target in children and link.source != link.target:
            children[link.source].append(link.target)
            has_parent.add(link.target)
    layer: dict[str, int] = {}
    roots = [i for i in ids if i not in has_parent] or ids[:1]
    while roots:
        depth = max(layer.values(), default=-1) + 1
        queue = deque(roots)
        for root in roots:
            layer[root] = depth
        while queue:
            node = queue.popleft()
            for child in children[node]:
                if child not in layer:
                    layer[child] = layer[node] + 1
                    queue.append(child)
        roots = [i for i in ids if i not in layer][:1]  # a loop nothing else leads into
    for box in boxes:
        if box.href is not None:
            sources = [layer[k.source] for k in links if k.target == box.id and k.source in layer]
            layer[box.id] = max(sources, default=max(layer.values(), default=-1)) + 1
    return layer


def _wrap(lines: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(line, CHARS_PER_LINE, break_on_hyphens=False) or [""])
    return out


def _place(boxes: list[Box], links: list[Link]) -> tuple[dict[str, _Placed], float, float]:
    layer = _layers(boxes, links)
    rows: list[list[Box]] = []
    for depth in sorted(set(layer.values())):
        members = [b for b in boxes if layer[b.id] == depth]
        rows.extend(members[i : i + COLUMNS] for i in range(0, len(members), COLUMNS))
    width = MARGIN * 2 + COLUMNS * BOX_WIDTH + (COLUMNS - 1) * GAP_X
    placed: dict[str, _Placed] = {}
    y = float(MARGIN)
    for number, row in enumerate(rows):
        wrapped = [_wrap(b.lines) for b in row]
        height = max(PADDING * 2 + LINE_HEIGHT * len(w) for w in wrapped)
        used = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
        x = (width - used) / 2
        for box, lines in zip(row, wrapped, strict=True):
            placed[box.id] = _Placed(box, x, y, height, number, lines)
            x += BOX_WIDTH + GAP_X
        y += height + GAP_Y
    return placed, float(width), y - GAP_Y + MARGIN


def _curve(*points: tuple[float, float]) -> str:
    start, *rest = (f"{x:.0f},{y:.0f}" for x, y in points)
    return f"M{start} C{' '.join(rest)}"


def _path(a: _Placed, b: _Placed) -> tuple[str, bool]:
    """An SVG path from ``a`` to ``b``; ``True`` when it runs back up (or across) the page."""
    if b.row > a.row:
        x1, y1 = a.x + BOX_WIDTH / 2, a.y + a.height
        x2, y2 = b.x + BOX_WIDTH / 2, b.y
        bend = (y2 - y1) / 2
        return _curve((x1, y1), (x1, y1 + bend), (x2, y2 - bend), (x2, y2)), False
    side = 1 if a.x + BOX_WIDTH / 2 >= b.x + BOX_WIDTH / 2 else -1
    x1 = a.x + (BOX_WIDTH if side > 0 else 0)
    x2 = b.x + (BOX_WIDTH if side > 0 else 0)
    y1, y2 = a.y + a.height / 2, b.y + b.height / 2
    reach = side * (MARGIN - 2)
    return _curve((x1, y1), (x1 + reach, y1), (x2 + reach, y2), (x2, y2)), True


def layered_svg(boxes: list[Box], links: list[Link], title: str) -> str:
    """The SVG text of one file's screens and links (inline in the admin page)."""
    if not boxes:
        return ""
    placed, width, height = _place(boxes, links)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}" '
        'font-family="system-ui, sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>',
    ]
    for link in links:
        a, b = placed.get(link.source), placed.get(link.target)
        if a is None or b is None or a is b:
            continue
        d, back = _path(a, b)
        dash = ' stroke-dasharray="5 4"' if back or link.typed else ""
        colour = "#8a8a8a" if back else "#555"
        label = escape(f"{link.source} → {link.target}: {link.label}")
        out.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.3"{dash} '
            f'marker-end="url(#arrow)"><title>{label}</title></path>'
        )
    for item in placed.values():
        box = item.box
        fill = OTHER_FILL if box.href else LEGAL_FILL if box.legal else "#ffffff"
        stroke = "#b8860b" if box.legal else "#4a5ab0" if box.href else "#555"
        dash = ' stroke-dasharray="4 3"' if box.href else ""
        anchor = f' id="{escape(box.anchor)}"' if box.anchor else ""
        group = [
            f'<g{anchor}><rect x="{item.x:.0f}" y="{item.y:.0f}" width="{BOX_WIDTH}" '
            f'height="{item.height:.0f}" rx="6" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{2 if box.legal else 1}"{dash}/>'
        ]
        for number, line in enumerate(item.lines):
            weight = ' font-weight="600"' if number == 0 else ""
            y = item.y + PADDING + LINE_HEIGHT * (number + 1) - 3
            group.append(
                f'<text x="{item.x + PADDING:.0f}" y="{y:.0f}" fill="#111"{weight}>'
                f"{escape(line)}</text>"
            )
        group.append("</g>")
        text = "".join(group)
        if box.href:
            text = f'<a href="{escape(box.href)}">{text}</a>'
        out.append(text)
    out.append("</svg>")
    return "\n".join(out)
