"""Buttons keep their meaning when an editor reorders or changes them.

A button still in someone's chat sends its payload days later. Payloads name what a button opens
(``b:<screen>:<key>``), never its position, so an old «Sí, estoy en peligro» can never open
another screen after an editor moves it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.engine import Event, load_flows
from bot.engine.model import Flows
from bot.engine.validate import ValidationConfig, check_flows, rerouted_buttons
from tests.engine.test_runner import payloads, run

CONFIG = ValidationConfig(today=dt.date(2026, 12, 1), actions=set())

WELCOME = """nodes:
  - id: welcome
    title: Welcome
    messages: ["Are you in danger right now?"]
    buttons:
{buttons}
  - id: emergency
    title: Emergency
    messages: [Call 911.]
  - id: main
    title: Main menu
    messages: [Pick one.]
  - id: asylum
    title: Asylum
    messages: [About asylum.]
"""
DANGER = "      - {label: Yes I am in danger, goto: emergency}\n"
MENU = "      - {label: No show me the menu, goto: main}\n"


def flows_of(tmp_path: Path, buttons: str, name: str = "v1") -> Flows:
    folder = tmp_path / name / "flows"
    folder.mkdir(parents=True)
    (folder / "main.yaml").write_text(WELCOME.format(buttons=buttons), encoding="utf-8")
    result = load_flows(folder)
    assert result.problems == []
    return result.flows


def press(flows: Flows, payload: str) -> str | None:
    state, _ = run(flows, [Event.typed("/start", "en"), Event.pressed(payload)])
    assert state is not None
    return state.node


def test_payloads_name_the_screen_they_open(tmp_path: Path) -> None:
    flows = flows_of(tmp_path, DANGER + MENU)
    _, replies = run(flows, [Event.typed("/start", "en")])
    assert payloads(replies)[:2] == ["b:welcome:emergency", "b:welcome:main"]


def test_reordering_buttons_never_changes_what_an_old_button_opens(tmp_path: Path) -> None:
    before = flows_of(tmp_path, DANGER + MENU, "before")
    _, replies = run(before, [Event.typed("/start", "en")])
    old_danger = payloads(replies)[0]
    after = flows_of(tmp_path, MENU + DANGER, "after")
    assert press(after, old_danger) == "emergency"
    assert rerouted_buttons(before, after) == []


def test_an_old_button_whose_target_changed_keeps_its_old_meaning(tmp_path: Path) -> None:
    before = flows_of(tmp_path, DANGER + MENU, "before")
    changed = MENU.replace("goto: main", "goto: asylum")
    after = flows_of(tmp_path, DANGER + changed, "after")
    assert press(before, "b:welcome:main") == "main"
    assert press(after, "b:welcome:main") == "main"  # what the old button said
    assert press(after, "b:welcome:asylum") == "asylum"  # the new button


def test_positional_payloads_from_before_are_stale_not_rerouted(tmp_path: Path) -> None:
    flows = flows_of(tmp_path, MENU + DANGER)
    # Position 0 was «Sí, estoy en peligro» before; now it is the menu.
    state, replies = run(flows, [Event.typed("/start", "en"), Event.pressed("b:welcome:0")])
    assert state is not None and state.node == "main"
    assert replies[0].text.startswith("That button is from an older screen")


def test_answers_are_part_of_the_key(tmp_path: Path) -> None:
    buttons = (
        "      - {label: Yes, goto: main, set: {harmed: 'yes'}}\n"
        "      - {label: No, goto: main, set: {harmed: 'no'}}\n"
    )
    flows = flows_of(tmp_path, buttons)
    state, _ = run(flows, [Event.typed("/start", "en"), Event.pressed("b:welcome:main.no")])
    assert state is not None and state.answers == {"harmed": "no"}


def test_an_explicit_id_that_now_opens_another_screen_is_a_warning(tmp_path: Path) -> None:
    before = flows_of(tmp_path, DANGER.replace("goto:", "id: yes, goto:") + MENU, "before")
    after = flows_of(
        tmp_path, DANGER.replace("goto: emergency", "id: yes, goto: asylum") + MENU, "after"
    )
    warnings = [str(p) for p in rerouted_buttons(before, after)]
    assert warnings == [
        'flows/main.yaml:6: warning: node "welcome": the button "Yes I am in danger" (id "yes") opened '
        '"emergency" and would now open "asylum" for people who still have it in their chat; if '
        'this is a different button, give it a new "id:"'
    ]


def test_two_buttons_that_cannot_be_told_apart_are_an_error(tmp_path: Path) -> None:
    flows = flows_of(tmp_path, DANGER + DANGER.replace("Yes I am", "I am"))
    problems = [str(p) for p in check_flows(flows, CONFIG, reachability=False)]
    assert any(
        'the buttons "Yes I am in danger" and "I am in danger" open the same screen' in p
        for p in problems
    )


def test_a_button_payload_too_long_for_telegram_is_an_error(tmp_path: Path) -> None:
    long_id = "a" * 60
    flows = flows_of(tmp_path, DANGER.replace("goto:", f"id: {long_id}, goto:") + MENU)
    problems = [str(p) for p in check_flows(flows, CONFIG, reachability=False)]
    assert any(
        "too long for Telegram" in p and 'give the button a short "id:"' in p for p in problems
    )
