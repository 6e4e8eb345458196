"""Understanding what people type: normalisation, danger words, small talk, language, keywords.

``KeywordMatcher.from_flows(flows, languages)`` is the engine's ``Matcher``. The names below
are imported on first use, so that ``bot.nlu.cli`` (loaded by every ``python -m bot`` command)
does not load the matcher and its language models for commands that never match text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.nlu.matcher import KeywordMatcher, Settings

__all__ = ["KeywordMatcher", "Settings"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from bot.nlu import matcher

        return getattr(matcher, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
