"""Flows and the legal-aid directory are read the same way: one YAML loader, one ``Problem``."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import bot.directory.loader as directory_loader
import bot.engine.loader as flow_loader
from bot.directory.loader import check_providers, parse_providers_file
from bot.engine.loader import load_flows

PROVIDER = """\
providers:
  - id: capital_aid
    name: Capital Legal Aid
    city: Washington
    state: {state}
    services: [asylum]
    languages: [es, en]
    phone: "+12025550100"
    website: https://example.org
    cost: [free]
    notes: No
    last_verified: 2026-11-01
    source: test fixture
"""


def providers(tmp_path: Path, state: str) -> tuple[list[str], list[object]]:
    path = tmp_path / "providers.yaml"
    path.write_text(PROVIDER.format(state=state), encoding="utf-8")
    entries, problems = parse_providers_file(path, path.name)
    problems += check_providers(entries, path.name, dt.date(2026, 12, 1), 180, 365)
    return [str(p) for p in problems], [e.item for e in entries]


def test_both_loaders_share_one_problem_type() -> None:
    assert directory_loader.Problem is flow_loader.Problem


def test_a_provider_in_the_district_of_columbia_loads(tmp_path: Path) -> None:
    problems, items = providers(tmp_path, "DC")
    assert problems == []
    assert [getattr(item, "state", None) for item in items] == ["DC"]


def test_yes_and_no_stay_text_in_the_directory_as_in_flows(tmp_path: Path) -> None:
    problems, items = providers(tmp_path, "DC")
    assert problems == []
    assert getattr(items[0], "notes", None) == "No"


def test_an_impossible_date_in_a_flow_is_a_problem_on_its_line(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "main.yaml").write_text(
        textwrap.dedent(
            """\
            nodes:
              - id: main
                title: Menu
                legal: true
                reviewed: 2026-13-01
                messages:
                  - text: Hello.
            """
        ),
        encoding="utf-8",
    )
    result = load_flows(flows)
    assert [str(p) for p in result.errors] == [
        'flows/main.yaml:5: "2026-13-01" is not a real date (month must be in 1..12); write '
        "dates as YYYY-MM-DD (the other checks run once this file can be read)"
    ]
