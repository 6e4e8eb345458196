"""``python -m bot run [--workers N]``: uvicorn in factory mode, N processes on one port.

Each worker process builds its own app from the environment (``app_factory``), so nothing is
shared but the database (and Redis for the send rate); migrations at start are serialised by a
lock (``bot.store.database.migrate``). Shutdown is bounded: in-flight requests get
``SHUTDOWN_SECONDS`` to finish, then the lifespan closes the database and the Bot API client.
"""

from __future__ import annotations

from fastapi import FastAPI

from bot.app import create_app
from bot.logs import configure_logging
from bot.settings import get_settings

__all__ = ["SHUTDOWN_SECONDS", "app_factory", "serve"]

SHUTDOWN_SECONDS = 15
"""In-flight turns get this long after SIGTERM; a send never waits longer than its timeouts."""
KEEP_ALIVE_SECONDS = 5
WORKER_HEALTHCHECK_SECONDS = 30
"""uvicorn kills a worker that does not answer its supervisor's ping in this long (default 5 s):
on a starved machine a busy worker can miss 5 s and be killed with requests in flight."""


def app_factory() -> FastAPI:
    """The app of one worker process, with logging set up in that process."""
    settings = get_settings()
    configure_logging(settings.log_level)
    return create_app(settings)


def serve(host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    """Serve the helpline with ``workers`` processes."""
    import uvicorn

    settings = get_settings()
    settings.hmac_secret()  # a bad key file stops here, explained, not in every worker's lifespan
    configure_logging(settings.log_level)
    uvicorn.run(
        "bot.workers:app_factory",
        factory=True,
        workers=workers,
        host=host or settings.host,
        port=port or settings.port,
        access_log=False,
        log_config=None,
        proxy_headers=False,
        ws="none",  # no WebSocket routes; uvicorn's WebSocket protocols log client addresses
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
