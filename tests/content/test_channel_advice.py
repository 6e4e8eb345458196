"""Advice about deleting the chat names the app the person is using: a WhatsApp user is never
told how to do it on Telegram, and the web chat says to close the tab and clear the history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import Event, advance
from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.engine.types import ConversationState
from bot.i18n import BabelLocalizer
from bot.settings import REPO_ROOT
from tests.support.project import real_flows, real_localizer

ADVICE = {
    ("telegram", "en"): "On Telegram: press and hold the chat",
    ("whatsapp", "en"): "WhatsApp: press and hold the chat",
    ("web", "en"): "close this tab and clear this browser's history",
    ("telegram", "es"): "En Telegram: deje presionado el chat",
    ("whatsapp", "es"): "WhatsApp: deje presionado el chat",
    ("web", "es"): "cierre esta pestaña y borre el historial de este navegador",
}
APPS = {
    "telegram": {"en": "Telegram", "es": "Telegram"},
    "whatsapp": {"en": "WhatsApp", "es": "WhatsApp"},
    "web": {"en": "this tab", "es": "pestaña"},
}
"""What only that channel's advice says."""


@pytest.fixture(scope="module")
def shipped() -> tuple[Flows, BabelLocalizer]:
    return real_flows(), real_localizer()


def _screen(shipped: tuple[Flows, BabelLocalizer], node: str, channel: str, lang: str) -> str:
    flows, localizer = shipped
    state = ConversationState(locale=lang, node=node)
    _, replies = advance(flows, state, Event.pressed("nav:here", channel=channel), localizer)
    return "\n".join(r.text for r in replies)


@pytest.mark.parametrize("node", ["welcome", "safety_phone"])
@pytest.mark.parametrize(("channel", "lang"), sorted(ADVICE))
def test_deleting_the_chat_is_explained_for_this_channel_only(
    shipped: tuple[Flows, BabelLocalizer], node: str, channel: str, lang: str
) -> None:
    text = _screen(shipped, node, channel, lang)
    assert ADVICE[(channel, lang)] in text
    for other, marks in APPS.items():
        if other != channel:
            assert marks[lang] not in text, f"{node} on {channel} gives the advice for {other}"


def test_a_misspelt_channel_is_an_error_naming_the_right_ones(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "flows", tmp_path / "flows")
    safety = tmp_path / "flows" / "safety.yaml"
    safety.write_text(safety.read_text().replace("channels: [whatsapp]", "channels: [whatsap]"))
    problems = [str(p) for p in load_flows(tmp_path / "flows").errors]
    line = safety.read_text().splitlines().index("        channels: [whatsap]") + 1
    assert (
        f'flows/safety.yaml:{line}: node "safety_phone": field "messages.3.channels": '
        'unknown channel "whatsap": use telegram, whatsapp, web, cli'
    ) in problems
