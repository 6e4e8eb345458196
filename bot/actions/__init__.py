"""Built-in actions that flow content can name in ``action:`` or ``input: {action: ...}``.

Importing this package registers every one of them in ``bot.engine.actions.ACTIONS``; the
validator uses that registry to tell an editor when a flow names an action that does not exist.
"""

from __future__ import annotations

import bot.actions.legal_aid  # noqa: F401 - registers legal_aid_state, _courts, _search
from bot.actions import answers, deadline  # noqa: F401 - registers forget_answers, deadline_calculator

__all__: list[str] = []
