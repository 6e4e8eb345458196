"""The helpline's exceptions, one tree so callers can catch the base class:

HelplineError
├── ContentError          flows or catalogs failed to load or validate (details in .problems)
├── ConfigurationError    settings that cannot work together (e.g. webhook without a secret)
├── DeliveryError         an update could not be answered now: the webhook answers 5xx and the
│   │                     platform redelivers it (``bot.delivery.deliver_once`` raises these)
│   ├── StoreUnavailable  the database failed (unreachable, locked, read-only): nothing was saved
│   ├── SendFailed        the channel's API kept failing; what was sent is recorded
│   └── DeliveryBusy      another worker is delivering this same update right now
├── RecipientGone         raised by a channel's ``send``: the person blocked the bot or left
└── MessageRefused        raised by a channel's ``send``: the API refuses this one message for good
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConfigurationError",
    "ContentError",
    "DeliveryBusy",
    "DeliveryError",
    "HelplineError",
    "MessageRefused",
    "RecipientGone",
    "SendFailed",
    "StoreUnavailable",
]


class HelplineError(Exception):
    """Base class of every error the helpline raises on purpose."""


class ContentError(HelplineError):
    """Content that must not reach people; ``problems`` says what and where."""

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class ConfigurationError(HelplineError):
    """Settings that cannot work; the message names the variable to fix."""


class DeliveryError(HelplineError):
    """The update was not fully answered; answer 5xx so the platform delivers it again.

    Whatever was decided is kept with the update's dedupe mark, so the redelivery sends only what
    is missing. The message never quotes a person: only the kind of failure.
    """


class StoreUnavailable(DeliveryError):
    """The database could not run the turn (down, locked, read-only); nothing was written."""


class SendFailed(DeliveryError):
    """The channel's API kept failing (5xx, timeouts, flood control past its patience)."""


class DeliveryBusy(DeliveryError):
    """Another worker holds this update's delivery right now; a later redelivery finishes it."""


class RecipientGone(HelplineError):
    """A channel's ``send`` found that nobody can read the conversation any more (bot blocked)."""


class MessageRefused(HelplineError):
    """A channel's ``send`` was refused for this one message for good (retrying cannot help)."""
