"""The pure flow engine: content model, loader and ``advance``. No I/O, no channel types."""

from bot.engine.actions import ACTIONS, ActionContext, ActionResult, action
from bot.engine.loader import LoadResult, Problem, load_flows
from bot.engine.model import Flows, Node
from bot.engine.runner import EMERGENCY, MAIN, WELCOME, advance
from bot.engine.types import (
    Button,
    ConversationState,
    Event,
    Localizer,
    Match,
    Matcher,
    Reply,
    Services,
    Translator,
)

__all__ = [
    "ACTIONS",
    "EMERGENCY",
    "MAIN",
    "WELCOME",
    "ActionContext",
    "ActionResult",
    "Button",
    "ConversationState",
    "Event",
    "Flows",
    "LoadResult",
    "Localizer",
    "Match",
    "Matcher",
    "Node",
    "Problem",
    "Reply",
    "Services",
    "Translator",
    "action",
    "advance",
    "load_flows",
]
