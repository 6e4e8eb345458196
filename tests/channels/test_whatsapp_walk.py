"""The whole menu tree walked over WhatsApp, in both languages: every screen reached by tapping,
every message the person receives within WhatsApp's limits, no label cut on a button."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.engine.runner import MAIN, WELCOME
from bot.settings import REPO_ROOT, Settings
from tests.support.fake_graph import FakeGraph, GraphCall
from tests.support.live import serve
from tests.support.whatsapp import (
    fake_graph,  # noqa: F401 - fixture
    limits_problems,
    pressed,
    say,
    text,
    whatsapp_settings,
)

STALE = {"en": "That button is from an older screen", "es": "Ese botón es de una pantalla anterior"}
ACTION_PRESSES = 3
"""Action buttons (legal-aid states, courts, "more") pressed per screen: enough to see each kind."""


@pytest.fixture
def walk_app(tmp_path: Path, fake_graph: FakeGraph) -> Iterator[tuple[str, Settings]]:  # noqa: F811
    """One app on SQLite (the walk is long; storage is tested elsewhere)."""
    settings = whatsapp_settings(tmp_path, f"sqlite:///{tmp_path / 'helpline.db'}", fake_graph)
    with serve(settings) as base:
        yield base, settings


def _flows() -> Flows:
    return load_flows(REPO_ROOT / "flows").flows


def _reachable_by_plain_taps(flows: Flows) -> set[str]:
    """Screens reachable from the start through buttons that have no condition."""
    seen = {WELCOME, MAIN}
    queue = deque(seen)
    while queue:
        for button in flows.nodes[queue.popleft()].buttons:
            if not button.when and button.goto in flows.nodes and button.goto not in seen:
                seen.add(button.goto)
                queue.append(button.goto)
    return seen


def _target(flows: Flows, payload: str) -> str | None:
    kind, _, rest = payload.partition(":")
    if kind == "g":
        return rest
    if kind != "b":
        return None
    node, _, index = rest.rpartition(":")
    return flows.nodes[node].buttons[int(index)].goto


@pytest.mark.parametrize(("lang", "wa_id"), [("es", "5215500001001"), ("en", "5215500001002")])
def test_every_screen_over_whatsapp_within_its_limits(
    walk_app: tuple[str, Settings],
    fake_graph: FakeGraph,  # noqa: F811
    lang: str,
    wa_id: str,
) -> None:
    base, _ = walk_app
    flows = _flows()
    problems: list[str] = []
    reached: set[str] = set()
    pressed_ids: set[str] = set()
    actions: dict[str, int] = {}

    def check(calls: list[GraphCall], what: str) -> list[GraphCall]:
        assert calls, f"{what}: no answer"
        for call in calls:
            assert call.to == wa_id
            problems.extend(f"{what}: {p}" for p in limits_problems(call))
        return calls

    first = check(say(base, fake_graph, pressed(f"lang:{lang}", wa_id=wa_id)), f"lang:{lang}")
    reached.add(WELCOME)
    queue = deque(i for c in first for i, _ in c.choices)
    for command in ("/menu", "/ayuda" if lang == "es" else "/help"):
        queue.extend(
            i
            for c in check(say(base, fake_graph, text(command, wa_id=wa_id)), command)
            for i, _ in c.choices
        )
    while queue:
        choice = queue.popleft()
        if choice in pressed_ids or choice.startswith(("lang:", "nav:")):
            continue
        target = _target(flows, choice)
        if target is not None and target in reached:
            continue
        if choice.startswith("a:"):
            node = choice.split(":")[1]
            actions[node] = actions.get(node, 0) + 1
            if actions[node] > ACTION_PRESSES:
                continue
        pressed_ids.add(choice)
        calls = check(say(base, fake_graph, pressed(choice, wa_id=wa_id)), choice)
        if target is not None and not any(STALE[lang] in c.text for c in calls):
            reached.add(target)
        queue.extend(i for c in calls for i, _ in c.choices)

    assert not problems, "\n".join(problems)
    missing = _reachable_by_plain_taps(flows) - reached
    assert not missing, f"screens never reached by tapping on WhatsApp: {sorted(missing)}"
    assert any(c.startswith("src:") for c in pressed_ids), "sources were opened too"
