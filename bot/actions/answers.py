"""Forgetting a questionnaire's answers: the built-in action ``forget_answers``.

A questionnaire (the screener) stores each answer under a key that starts with the id of its first
screen and "_" (``screener_where``, ``screener_court`` …). Its first screen runs this action, so
starting again never mixes old answers with new ones, and answers live no longer than needed.
"""

from __future__ import annotations

from bot.engine.actions import ActionContext, ActionResult, action

__all__ = ["forget_answers"]


@action("forget_answers")
def forget_answers(ctx: ActionContext) -> ActionResult:
    """Erase the answers whose key starts with this node's id and "_"."""
    prefix = f"{ctx.node.id}_"
    return ActionResult(forget=[key for key in ctx.answers if key.startswith(prefix)])
