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

import json
import logging
import logging.config
import traceback
from types import TracebackType
from typing import Any

__all__ = ["QUIET_LOGGERS", "JsonLines", "Redact", "configure_logging", "logging_config"]

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


class JsonLines(logging.Formatter):
    """One JSON object a line, for log collectors (``LOG_FORMAT=json``); same fields as plain."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as ``{"time", "level", "logger", "message"[, "trace"]}``."""
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["trace"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def logging_config(level: str = "INFO", fmt: str = "plain") -> dict[str, Any]:
    """The one logging set-up, as a ``dictConfig`` dictionary: every way of starting uses it."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": Redact}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "json": {"()": JsonLines},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json" if fmt == "json" else "plain",
                "filters": ["redact"],
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
            # uvicorn's access log would write client addresses: it never gets a handler.
            "uvicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
    }


def configure_logging(level: str = "INFO", fmt: str = "plain") -> None:
    """Apply ``logging_config``; handlers others added (a test's log capture, a host's own
    collector) are kept, and made to redact too. Applying it again replaces only our own."""
    root = logging.getLogger()
    foreign = [h for h in root.handlers if not getattr(h, "_helpline", False)]
    logging.config.dictConfig(logging_config(level, fmt))
    for handler in root.handlers:
        handler._helpline = True  # type: ignore[attr-defined]
    for handler in foreign:
        if handler not in root.handlers:
            root.addHandler(handler)
    for handler in root.handlers:
        if not any(isinstance(f, Redact) for f in handler.filters):
            handler.addFilter(Redact())
