"""The admin diagram page's body: one diagram per flow file, linked to each other.

One drawing of every screen was thousands of pixels wide and unreadable on a phone. Here each file
gets its own tall, narrow drawing (our own layout: no Graphviz needed, no script, no CDN), the files
it is reached from and leads to, its buttons as a plain list, and, where Graphviz is installed,
Graphviz's wider drawing of the same file folded away beneath.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup

from bot.diagram import file_anchor, file_svg, flow_files, simple_svg
from bot.engine.model import Flows

__all__ = ["diagram_body"]


@dataclass(frozen=True)
class _Row:
    screen: str
    label: str
    target: str
    href: str | None


@dataclass(frozen=True)
class _File:
    name: str
    anchor: str
    screens: int
    svg: Markup
    wide: Markup | None
    from_files: list[str]
    to_files: list[str]
    rows: list[_Row]


_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_BODY = _ENV.from_string(
    """<style>
.diagram svg { max-width: 100%; height: auto; }
.diagram { overflow-x: auto; margin: .5rem 0 1rem; }
.wide { overflow-x: auto; }
section { scroll-margin-top: .5rem; border-top: 1px solid #ccc; padding-top: .5rem; }
.files a { display: inline-block; margin: 0 .8rem .4rem 0; }
details li { margin: .15rem 0; }
</style>
<p class="note">One diagram per flow file. Boxes are screens; shaded ones are legal screens with
the date they were reviewed. A dashed box is a screen in another file: tap it to open that file's
diagram. {{ drawn_by }}</p>
<p class="files">{% for f in files %}<a href="#{{ f.anchor }}">{{ f.name }} ({{ f.screens }})</a>
{% endfor %}</p>
{% macro files_list(title, names) %}
{% if names %}<p>{{ title }}:
{% for other in names %}<a href="#{{ anchor(other) }}">{{ other }}</a>{{ "," if not loop.last }}
{% endfor %}</p>{% endif %}
{% endmacro %}
{% for f in files %}
<section id="{{ f.anchor }}">
<h2>{{ f.name }}</h2>
{{ files_list("Reached from", f.from_files) }}
{{ files_list("Leads to", f.to_files) }}
<div class="diagram">{{ f.svg }}</div>
{% if f.wide %}<details><summary>Graphviz drawing (wide: scroll sideways)</summary>
<div class="wide">{{ f.wide }}</div></details>{% endif %}
<details><summary>Buttons on these screens ({{ f.rows | length }})</summary><ul>
{% for row in f.rows %}<li><code>{{ row.screen }}</code>: “{{ row.label }}” →
{% if row.href %}<a href="{{ row.href }}">{{ row.target }}</a>
{% else %}<code>{{ row.target }}</code>{% endif %}</li>
{% endfor %}</ul></details>
</section>
{% endfor %}
"""
)


def _targets(flows: Flows, names: dict[str, str], file: str) -> list[tuple[str, str, str]]:
    """``(screen, label, target)`` for every button and typed-text step of ``file``'s screens."""
    found: list[tuple[str, str, str]] = []
    for node in flows.nodes.values():
        if names.get(node.id) != file:
            continue
        steps = [(b.label, b.goto) for b in node.buttons]
        if node.input and node.input.next:
            steps.append(("(typed text)", node.input.next))
        found.extend((node.id, label, target) for label, target in steps if target in names)
    return found


def diagram_body(flows: Flows) -> str:
    """The page body (HTML): a drawing, the files it links with, and its buttons, per file."""
    files = flow_files(flows)
    names = {node.id: name for name, nodes in files.items() for node in nodes}
    steps = {name: _targets(flows, names, name) for name in files}
    leads = {name: list(dict.fromkeys(names[t] for _s, _l, t in steps[name])) for name in files}
    parts = [
        _File(
            name=name,
            anchor=file_anchor(name),
            screens=len(nodes),
            svg=Markup(simple_svg(flows, name)),
            wide=_markup(file_svg(flows, name)),
            from_files=[other for other in files if other != name and name in leads[other]],
            to_files=[other for other in leads[name] if other != name],
            rows=[
                _Row(
                    screen,
                    label,
                    target,
                    None if names[target] == name else f"#{file_anchor(names[target])}",
                )
                for screen, label, target in steps[name]
            ],
        )
        for name, nodes in files.items()
    ]
    graphviz = any(part.wide is not None for part in parts)
    drawn_by = (
        "Under each drawing, Graphviz's wider drawing of the same file, with the button labels."
        if graphviz
        else "(Graphviz is not installed on the server; it would add a wider drawing with the "
        "button labels.)"
    )
    return _BODY.render(files=parts, drawn_by=drawn_by, anchor=file_anchor)


def _markup(svg: str | None) -> Markup | None:
    return None if svg is None else Markup(svg)
