"""The slips editors make most often are reported in their words, at their line, and alone.

Each case is a mistake an NGO editor really makes in a flow file: an unquoted Yes/No label, a date
written day/month/year, a tab in the indentation, a missing colon, a text that starts with a quote.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.engine import load_flows
from bot.engine.validate import ValidationConfig, validate_content

VALID = Path(__file__).resolve().parent.parent / "data" / "tooling" / "valid"
CONFIG = ValidationConfig(today=dt.date(2026, 11, 23), actions=set())

SCREEN = """nodes:
  - id: extra
    title: Extra
    messages:
      - Some words.
    buttons:
{buttons}
"""


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "flows"
    folder.mkdir(exist_ok=True)
    (folder / "slip.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("label", ["No", "Yes", "yes", "no", "On", "Off", "Y", "N"])
def test_an_unquoted_yes_or_no_label_is_text(tmp_path: Path, label: str) -> None:
    buttons = f"      - label: {label}\n        goto: extra\n"
    result = load_flows(write(tmp_path, SCREEN.format(buttons=buttons)), root=tmp_path)
    assert result.problems == []
    assert result.flows.nodes["extra"].buttons[0].label == label


def test_true_and_false_are_still_yes_and_no_for_fields(tmp_path: Path) -> None:
    text = "nodes:\n  - id: extra\n    title: Extra\n    nav: false\n    messages: [Hi.]\n"
    result = load_flows(write(tmp_path, text), root=tmp_path)
    assert result.problems == []
    assert result.flows.nodes["extra"].nav is False


def test_a_date_written_day_first_says_how_to_write_it(tmp_path: Path) -> None:
    text = (
        "nodes:\n  - id: extra\n    title: Extra\n    reviewed: 23/11/2026\n    messages: [Hi.]\n"
    )
    problems = [str(p) for p in load_flows(write(tmp_path, text), root=tmp_path).problems]
    assert len(problems) == 1
    assert problems[0].startswith('flows/slip.yaml:4: node "extra": the date in "reviewed"')
    assert "year-month-day, for example 2026-11-23" in problems[0]


def test_a_tab_in_the_indentation_is_named_at_its_line(tmp_path: Path) -> None:
    text = "nodes:\n  - id: extra\n    title: Extra\n\tmessages: [Hi.]\n"
    problems = [str(p) for p in load_flows(write(tmp_path, text), root=tmp_path).problems]
    assert len(problems) == 1
    assert problems[0].startswith("flows/slip.yaml:4: this line has a tab character")
    assert "spaces" in problems[0]


def test_a_missing_colon_points_at_the_line_that_lacks_it(tmp_path: Path) -> None:
    text = "nodes:\n  - id: extra\n    title Extra\n    messages: [Hi.]\n"
    problems = [str(p) for p in load_flows(write(tmp_path, text), root=tmp_path).problems]
    assert len(problems) == 1
    assert problems[0].startswith("flows/slip.yaml:3: this line is missing a colon (:)")


def test_a_missing_colon_in_a_button_names_the_line_or_the_one_above(tmp_path: Path) -> None:
    buttons = "      - label Go on\n        goto: extra\n"
    problems = [
        str(p)
        for p in load_flows(write(tmp_path, SCREEN.format(buttons=buttons)), root=tmp_path).problems
    ]
    assert len(problems) == 1
    assert problems[0].startswith("flows/slip.yaml:8: YAML did not expect a colon (:) here")
    assert "the line just above is missing the colon" in problems[0]


def test_text_after_a_closing_quote_says_to_quote_the_whole_text(tmp_path: Path) -> None:
    text = 'nodes:\n  - id: extra\n    title: Extra\n    note: "Lawyer" means attorney\n'
    problems = [str(p) for p in load_flows(write(tmp_path, text), root=tmp_path).problems]
    assert len(problems) == 1
    assert problems[0].startswith("flows/slip.yaml:4: there is more text after a closing quote")


def test_one_unreadable_file_is_reported_alone(tmp_path: Path) -> None:
    """Other files link into the broken one; their "unknown node" errors would only mislead."""
    shutil.copytree(VALID / "flows", tmp_path / "flows")
    (tmp_path / "locales").mkdir()
    main = tmp_path / "flows" / "main.yaml"
    # The asylum screen moves to its own file, which then gets a tab in it.
    text = main.read_text(encoding="utf-8")
    head, _, asylum = text.partition("  - id: asylum\n")
    main.write_text(head, encoding="utf-8")
    broken = "nodes:\n  - id: asylum\n" + asylum.replace("    legal: true", "\tlegal: true", 1)
    (tmp_path / "flows" / "asylum.yaml").write_text(broken, encoding="utf-8")
    found = validate_content(tmp_path / "flows", tmp_path / "locales", ["en"], CONFIG)
    assert [p.file for p in found] == ["flows/asylum.yaml"]
    assert "tab character" in found[0].message
    assert "the other checks run once this file can be read" in found[0].message
