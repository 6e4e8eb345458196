"""The loader reports content mistakes with file and line instead of raising."""

from __future__ import annotations

from pathlib import Path

from bot.engine import load_flows


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "flows"
    folder.mkdir(exist_ok=True)
    (folder / "broken.yaml").write_text(text, encoding="utf-8")
    return folder


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    result = load_flows(
        write(tmp_path, "nodes:\n  - id: main\n    title: [unclosed\n"), root=tmp_path
    )
    assert [str(p) for p in result.problems] == [
        "flows/broken.yaml:4: YAML syntax error: expected ',' or ']', but got '<stream end>' (check indentation and quotes) (the other checks run once this file can be read)"
    ]


def test_unknown_field_link_and_duplicate(tmp_path: Path) -> None:
    text = (
        "nodes:\n"
        "  - id: main\n"
        "    title: Main\n"
        "    mesages: [typo]\n"
        "  - id: other\n"
        "    title: Other\n"
        "    buttons:\n"
        "      - label: Go\n"
        "        goto: nowhere\n"
        "  - id: other\n"
        "    title: Again\n"
    )
    problems = [str(p) for p in load_flows(write(tmp_path, text), root=tmp_path).problems]
    assert (
        'flows/broken.yaml:4: node "main": unknown field "mesages" (check the spelling; see CONTENT.md for fields)'
        in problems
    )
    assert (
        'flows/broken.yaml:8: node "other": button "Go" goes to unknown node "nowhere"' in problems
    )
    assert (
        'flows/broken.yaml:10: node "other": duplicate node id (first defined at flows/broken.yaml:5)'
        in problems
    )
