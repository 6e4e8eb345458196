"""Logging set-up that cannot leak a person's identity.

Our own log lines carry flow and node ids only. Third-party loggers that may print request URLs
(httpx logs Bot API URLs, which contain the bot token) are raised to WARNING, and uvicorn's
access log (client IP addresses) is off.
"""

from __future__ import annotations

import logging

__all__ = ["QUIET_LOGGERS", "configure_logging"]

QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "telegram.ext", "apscheduler", "uvicorn.access")


def configure_logging(level: str = "INFO") -> None:
    """Plain lines to stderr; chatty libraries kept at WARNING."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
