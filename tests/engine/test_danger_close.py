"""Danger is always close: the emergency screen is at most two taps from every screen, the
``/peligro`` and ``/danger`` commands open it at once, and every "I did not understand" reply
carries a "🆘 I am in danger" button.

The walk uses the real engine on the real ``flows/`` and catalogs: each screen is rendered as a
person sees it (content buttons whose conditions hold with no answers, plus the buttons the engine
adds: Back, Main menu, Sources, Language, and 🆘 on the main menu when the content has none), and
each button is followed to the screen it opens. "Back" is not counted (where it goes depends on
the path taken), so the bound holds for a person who just arrived on the screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.actions  # noqa: F401 - registers the built-in actions
from bot.content import build_services
from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.engine.runner import EMERGENCY, MAIN, advance, press
from bot.engine.types import ConversationState, Event, Reply, Services
from bot.engine.ui import DANGER_BUTTON, NOT_UNDERSTOOD
from bot.i18n.catalogs import BabelLocalizer, load_localizer

REPO = Path(__file__).resolve().parents[2]
LANGS = ["es", "en"]
MAX_TAPS = 2


@pytest.fixture(scope="module")
def flows() -> Flows:
    return load_flows(REPO / "flows").flows


@pytest.fixture(scope="module")
def localizer() -> BabelLocalizer:
    return load_localizer(REPO / "locales", LANGS)


@pytest.fixture(scope="module")
def services(flows: Flows) -> Services:
    return build_services(flows, LANGS, REPO / "flows")


def _screen(
    flows: Flows, localizer: BabelLocalizer, services: Services, node: str, lang: str
) -> list[Reply]:
    state = ConversationState(locale=lang, node=node)
    _, replies = advance(flows, state, Event.pressed("nav:here"), localizer, services)
    return replies


def _targets(flows: Flows, replies: list[Reply]) -> set[str]:
    """The screens the buttons of these replies open with one tap (Back excluded)."""
    targets: set[str] = set()
    for reply in replies:
        for button in reply.buttons:
            kind, _, rest = (button.payload or "").partition(":")
            if kind == "nav" and rest == "menu":
                targets.add(MAIN)
            elif kind == "g" and rest in flows.nodes:
                targets.add(rest)
            elif kind == "b" and (pressed := press(flows, button.payload or "")) is not None:
                targets.add(pressed[2])
    return targets


@pytest.mark.parametrize("lang", LANGS)
def test_the_emergency_screen_is_at_most_two_taps_from_every_screen(
    flows: Flows, localizer: BabelLocalizer, services: Services, lang: str
) -> None:
    one_tap = {
        node: _targets(flows, _screen(flows, localizer, services, node, lang))
        for node in flows.nodes
    }
    far = []
    for node, first in sorted(one_tap.items()):
        if node == EMERGENCY or EMERGENCY in first:
            continue
        if not any(EMERGENCY in one_tap.get(step, set()) for step in first):
            far.append(node)
    assert far == [], (
        f"the emergency screen is more than {MAX_TAPS} taps away from: {', '.join(far)}"
    )


def test_the_main_menu_has_a_danger_button_once(
    flows: Flows, localizer: BabelLocalizer, services: Services
) -> None:
    for lang in LANGS:
        t = localizer.translator(lang)
        buttons = [b for r in _screen(flows, localizer, services, MAIN, lang) for b in r.buttons]
        to_emergency = [
            b
            for b in buttons
            if b.payload == f"g:{EMERGENCY}"
            or (
                (b.payload or "").startswith(f"b:{MAIN}:")
                and (pressed := press(flows, b.payload or "")) is not None
                and pressed[2] == EMERGENCY
            )
        ]
        assert len(to_emergency) == 1, [b.label for b in to_emergency]
        if to_emergency[0].payload == f"g:{EMERGENCY}":
            assert to_emergency[0].label == t.gettext(DANGER_BUTTON)


def test_the_spanish_danger_button_reads_estoy_en_peligro(localizer: BabelLocalizer) -> None:
    assert localizer.translator("es").gettext(DANGER_BUTTON) == "🆘 Estoy en peligro"


@pytest.mark.parametrize(("command", "lang"), [("/peligro", "es"), ("/danger", "en")])
def test_the_danger_commands_open_the_emergency_screen_from_anywhere(
    flows: Flows, localizer: BabelLocalizer, services: Services, command: str, lang: str
) -> None:
    for node in ("main", "deadline", "legal_aid_state_other", "asylum"):
        state = ConversationState(locale=lang, node=node)
        new_state, replies = advance(flows, state, Event.typed(command), localizer, services)
        assert new_state is not None and new_state.node == EMERGENCY, node
        assert any("911" in reply.text for reply in replies)


def test_a_danger_command_before_the_language_is_known_answers_in_every_language(
    flows: Flows, localizer: BabelLocalizer, services: Services
) -> None:
    state, replies = advance(flows, None, Event.typed("/danger"), localizer, services)
    assert state is not None and state.node == EMERGENCY
    text = "\n".join(reply.text for reply in replies)
    for lang in LANGS:
        first = flows.nodes[EMERGENCY].messages[0].text
        assert localizer.translator(lang).gettext(first) in text
    assert any(b.payload == "lang:es" for b in replies[-1].buttons), "then the language question"


def test_a_danger_command_with_a_bot_name_and_in_capitals_works(
    flows: Flows, localizer: BabelLocalizer, services: Services
) -> None:
    state = ConversationState(locale="es", node="asylum")
    new_state, _ = advance(flows, state, Event.typed("/PELIGRO@helpline_bot"), localizer, services)
    assert new_state is not None and new_state.node == EMERGENCY


@pytest.mark.parametrize("lang", LANGS)
def test_every_did_not_understand_reply_offers_the_danger_button(
    flows: Flows, localizer: BabelLocalizer, services: Services, lang: str
) -> None:
    t = localizer.translator(lang)
    state = ConversationState(locale=lang, node="asylum")
    state_after, replies = advance(flows, state, Event.typed("zzxq vvbnm"), localizer, services)
    assert replies[0].text == t.gettext(NOT_UNDERSTOOD)
    assert [(b.label, b.payload) for b in replies[0].buttons] == [
        (t.gettext(DANGER_BUTTON), f"g:{EMERGENCY}")
    ]
    assert state_after is not None
    pressed, shown = advance(
        flows, state_after, Event.pressed(f"g:{EMERGENCY}"), localizer, services
    )
    assert pressed is not None and pressed.node == EMERGENCY
    assert any("911" in reply.text for reply in shown)
