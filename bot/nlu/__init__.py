"""Understanding what people type: danger first, small talk, a trained classifier, language.

``TextMatcher.from_flows(flows, languages, flows_dir=...)`` is the engine's ``Matcher``
(``KeywordMatcher`` is its older name, kept for existing imports). The names below are imported
on first use, so that ``bot.nlu.cli`` (loaded by every ``python -m bot`` command) does not load
scikit-learn for commands that never match text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.nlu.matcher import KeywordMatcher, Settings, TextMatcher

__all__ = ["KeywordMatcher", "Settings", "TextMatcher"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from bot.nlu import matcher

        return getattr(matcher, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
