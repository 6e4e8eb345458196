"""Logging set-up that cannot leak a person's identity.

Our own log lines carry flow and node ids only. Third-party loggers that may print request URLs
(httpx logs Bot API URLs, which contain the bot token) are raised to WARNING, and uvicorn's
access log (client IP addresses) is off.

What is still logged passes ``Redact`` on its way out: library messages lose their values
(python-telegram-bot logs a whole ``Update`` or a raw Bot API answer, with names, ids and text,
when it fails in certain ways), and every traceback keeps its stack but not the exception's
message, which can quote the input that caused it.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

__all__ = ["QUIET_LOGGERS", "Redact", "configure_logging"]

QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "telegram.ext", "apscheduler", "uvicorn.access")
QUOTING_LIBRARIES = frozenset({"telegram", "httpx", "httpcore"})
"""Top-level names of libraries whose log values may hold a person's data or the bot token."""
WITHHELD = "(values withheld: they may identify a person)"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class Redact(logging.Filter):
    """Drops what a log record could quote of a person; keeps what says where it went wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if record.args and record.name.partition(".")[0] in QUOTING_LIBRARIES:
            record.msg = f"{record.msg} {WITHHELD}"
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = stack_only(record.exc_info)
            record.exc_info = None
        return True


def stack_only(exc_info: ExcInfo) -> str:
    """The traceback's frames and the exception's type, without its message."""
    kind, _, trace = exc_info
    frames = "".join(traceback.format_tb(trace))
    return f"Traceback (most recent call last):\n{frames}{kind.__name__} {WITHHELD}"


def configure_logging(level: str = "INFO") -> None:
    """Plain lines to stderr; chatty libraries kept at WARNING; every handler redacts."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, Redact) for f in handler.filters):
            handler.addFilter(Redact())
