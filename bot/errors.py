"""The helpline's exceptions, one tree so callers can catch the base class:

HelplineError
├── ContentError          flows or catalogs failed to load or validate (details in .problems)
└── ConfigurationError    settings that cannot work together (e.g. webhook without a secret)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ConfigurationError", "ContentError", "HelplineError"]


class HelplineError(Exception):
    """Base class of every error the helpline raises on purpose."""


class ContentError(HelplineError):
    """Content that must not reach people; ``problems`` says what and where."""

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class ConfigurationError(HelplineError):
    """Settings that cannot work; the message names the variable to fix."""
