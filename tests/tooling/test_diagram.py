"""The flow diagram: Mermaid and DOT text always, SVG when Graphviz is installed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.diagram import (
    GRAPHVIZ_MISSING,
    GraphvizMissing,
    file_anchor,
    flow_files,
    simple_svg,
    to_dot,
    to_mermaid,
    to_svg,
)
from bot.engine.loader import load_flows
from bot.engine.model import Flows

VALID = Path(__file__).resolve().parent.parent / "data" / "tooling" / "valid"
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason=GRAPHVIZ_MISSING)


@pytest.fixture
def flows() -> Flows:
    return load_flows(VALID / "flows").flows


def test_mermaid_labels_nodes_and_marks_legal_ones(flows: Flows) -> None:
    text = to_mermaid(flows)
    assert text.startswith("flowchart LR\n")
    assert '    n_welcome["welcome<br/>Welcome"]' in text
    assert '    n_asylum["asylum<br/>Asylum<br/>legal, reviewed 2026-11-01"]' in text
    assert '    n_welcome -->|"Continue"| n_main' in text
    assert "    class n_asylum legal" in text


def test_mermaid_escapes_quotes_and_marks_typed_text(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").write_text(
        """nodes:
  - id: main
    title: 'Say "hello" <now>'
    input: {action: echo, next: end}
  - id: end
    title: End
""",
        encoding="utf-8",
    )
    text = to_mermaid(load_flows(tmp_path).flows)
    assert '    n_main["main<br/>Say #quot;hello#quot; #lt;now#gt;"]' in text
    assert '    n_main -.->|"typed text"| n_end' in text


def test_dot_is_graphviz_text(flows: Flows) -> None:
    text = to_dot(flows)
    assert text.startswith("digraph helpline {")
    assert (
        '    "asylum" [label="asylum\\nAsylum\\nlegal, reviewed 2026-11-01", fillcolor="#fff4d6", penwidth=2];'
        in text
    )
    assert '    "main" -> "asylum" [label="Asylum"];' in text


@needs_graphviz
def test_svg_is_drawn_by_graphviz(flows: Flows) -> None:
    svg = to_svg(flows).decode("utf-8")
    assert "<svg" in svg
    assert "legal, reviewed 2026&#45;11&#45;01" in svg or "legal, reviewed 2026-11-01" in svg


def test_svg_without_graphviz_says_what_to_do(
    flows: Flows, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(GraphvizMissing, match="Graphviz is not installed; use --format mermaid"):
        to_svg(flows)


def test_diagram_command_writes_each_format(tmp_path: Path) -> None:
    runner = CliRunner()
    mermaid = runner.invoke(app, ["diagram", "--format", "mermaid", str(VALID)])
    assert mermaid.exit_code == 0
    assert mermaid.output.startswith("flowchart LR")
    target = tmp_path / "flows.dot"
    dot = runner.invoke(app, ["diagram", "--format", "dot", "--output", str(target), str(VALID)])
    assert dot.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("digraph helpline {")
    assert dot.output.strip() == f"wrote {target} (3 screens)"


@needs_graphviz
def test_diagram_command_writes_svg(tmp_path: Path) -> None:
    target = tmp_path / "flows.svg"
    result = CliRunner().invoke(app, ["diagram", "--output", str(target), str(VALID)])
    assert result.exit_code == 0
    assert b"<svg" in target.read_bytes()


def test_diagram_command_without_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    result = CliRunner().invoke(app, ["diagram", "--output", str(tmp_path / "x.svg"), str(VALID)])
    assert result.exit_code == 1
    assert "Graphviz is not installed; use --format mermaid" in result.output
    assert not (tmp_path / "x.svg").exists()


# -- one diagram per flow file ------------------------------------------------------------------

REAL = Path(__file__).resolve().parents[2] / "flows"


@pytest.fixture(scope="module")
def real() -> Flows:
    return load_flows(REAL).flows


def test_every_flow_file_gets_its_own_diagram_linked_to_the_others(real: Flows) -> None:
    from bot.admin_diagram import diagram_body

    files = flow_files(real)
    assert next(iter(files)) == "main.yaml" and "asylum.yaml" in files
    body = diagram_body(real)
    for name in files:
        assert f'<section id="{file_anchor(name)}">' in body
    main = body[body.index('<section id="flow-main">') :]
    main = main[: main.index("</section>")]
    assert '<a href="#flow-asylum">' in main, "a screen of another file links to its diagram"
    asylum = body[body.index('<section id="flow-asylum">') :]
    assert 'Reached from:\n<a href="#flow-main">main.yaml</a>' in asylum


def test_our_drawing_fits_a_phone_and_marks_legal_screens(real: Flows) -> None:
    for name in flow_files(real):
        svg = simple_svg(real, name)
        width = int(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
        assert width <= 400, f"{name}: {width} px wide"
        assert svg.count("<rect") >= len(flow_files(real)[name])
    deadline = simple_svg(real, "deadline.yaml")
    assert 'fill="#fff4d6"' in deadline, "legal screens are shaded"
    assert "legal, reviewed" in deadline
    assert 'stroke-dasharray="5 4"' in deadline, "the typed-text step is dashed"


def test_per_file_dot_is_top_to_bottom_with_links(real: Flows) -> None:
    text = to_dot(real, "main.yaml")
    assert "rankdir=TB" in text
    assert 'URL="#flow-asylum"' in text
    assert '"asylum_what"' not in text, "only this file's screens and the ones it leads to"
