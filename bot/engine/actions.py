"""Built-in actions that content can name: ``action:`` runs when a node is shown, ``input:``
runs on text typed at that node.

An action is a pure function of an ``ActionContext``; it returns replies, answers to remember and
optionally the next node. Actions are how content reaches logic (a date calculator, the legal-aid
search) without Python in the flow files. Register one with ``@action("name")``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.engine.model import Flows, Node
from bot.engine.types import Reply, Services, Translator

__all__ = ["ACTIONS", "ActionContext", "ActionResult", "action"]


@dataclass(frozen=True)
class ActionContext:
    """Everything an action may read. ``text`` is the typed text or a button's argument."""

    flows: Flows
    node: Node
    answers: dict[str, str]
    translator: Translator
    services: Services
    text: str = ""


@dataclass
class ActionResult:
    """What an action produced. ``goto`` moves on; ``None`` stays on the node."""

    replies: list[Reply] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    forget: list[str] = field(default_factory=list)
    goto: str | None = None


Action = Callable[[ActionContext], ActionResult]

ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    """Register a function as the built-in action ``name``."""

    def register(function: Action) -> Action:
        ACTIONS[name] = function
        return function

    return register
