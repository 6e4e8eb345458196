"""Stop a pressed button's spinner: ``answerCallbackQuery`` as one small JSON POST.

Every button press makes this one outgoing call (the screen itself goes back in the webhook's
response body), so it is the Bot API call the helpline makes most. Through python-telegram-bot's
``Bot`` it went through PTB's request objects, httpx and httpcore over anyio: measured on the
webhook bench about a third of the event loop's time under load (about 0.43 ms CPU per call
alone, more when many are in flight). aiohttp's pooled ``ClientSession``, with its HTTP parser
in C, makes the same call in about 0.1 ms. The call carries nothing but the query id, the
answer is not read beyond its status, and a failure is one short log line: the press is
answered whether or not the spinner stops.

Same settings as the ``Bot``: ``TELEGRAM_API_BASE_URL`` and the token build the URL,
``TELEGRAM_TIMEOUT_SECONDS`` bounds the call, a proxy comes from the environment as httpx takes
it (``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``), read once at start: aiohttp's own
``trust_env`` reads it again in a thread for every request. Acknowledgements were never paced by
``TELEGRAM_RATE_LIMIT`` (that pace is Telegram's limit on messages, and an acknowledgement sends
none), and still are not. The URL holds the token: it is never logged, nor is any error's text
(only its kind).

aiohttp is imported off the event loop once the service is up (``load``, 80 ms of imports that
the first answer would otherwise wait for); until then a press is acknowledged by the ``Bot``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import aiohttp

__all__ = ["CallbackAcks"]

log = logging.getLogger(__name__)

_JSON = {"Content-Type": "application/json"}


@dataclass
class CallbackAcks:
    """One long-lived connection pool to the Bot API, for ``answerCallbackQuery`` only."""

    url: str
    """``{base}/bot{token}/answerCallbackQuery``: a secret, never logged."""
    timeout: float
    connect_timeout: float
    pool_timeout: float
    pool_size: int
    proxy: str | None = None
    """From the environment at start (``env_proxy``); ``None`` for a direct connection."""
    session: aiohttp.ClientSession | None = field(default=None, repr=False)

    @classmethod
    def for_bot_api(
        cls,
        base_url: str,
        token: str,
        *,
        timeout: float,
        connect_timeout: float,
        pool_timeout: float,
        pool_size: int,
    ) -> CallbackAcks:
        """Pointed at ``base_url`` (no trailing slash) with the bot's token, timeouts as the
        ``Bot``'s: waiting for a pooled connection and connecting are bounded apart from the
        read, and the whole call by all three."""
        url = f"{base_url}/bot{token}/answerCallbackQuery"
        return cls(url, timeout, connect_timeout, pool_timeout, pool_size, env_proxy(url))

    @staticmethod
    def load() -> None:
        """Import aiohttp (in a thread, so that the event loop goes on answering meanwhile)."""
        import aiohttp  # noqa: F401

    @property
    def ready(self) -> bool:
        """The pool is open."""
        return self.session is not None

    def open(self) -> None:
        """Create the pool (aiohttp needs the running event loop for it)."""
        import aiohttp

        if self.session is None:
            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.pool_size),
                timeout=aiohttp.ClientTimeout(
                    total=self.pool_timeout + self.connect_timeout + self.timeout,
                    connect=self.pool_timeout + self.connect_timeout,
                    sock_connect=self.connect_timeout,
                    sock_read=self.timeout,
                ),
            )

    async def answer(self, query_id: str) -> None:
        """Acknowledge one press; a failure is logged by kind and otherwise ignored."""
        import aiohttp

        self.open()
        assert self.session is not None
        body = json.dumps({"callback_query_id": query_id}).encode()
        try:
            async with self.session.post(
                self.url, data=body, headers=_JSON, proxy=self.proxy
            ) as response:
                status = response.status
                await response.read()  # the connection goes back to the pool for the next one
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("callback query not acknowledged (%s)", type(exc).__name__)
            return
        if status != 200:
            log.info("callback query not acknowledged (HTTP %d)", status)

    async def close(self) -> None:
        """Close the pool's connections."""
        session, self.session = self.session, None
        if session is not None:
            await session.close()
            await asyncio.sleep(0)  # let the transports' close callbacks run before the loop ends


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for ``url`` (``HTTPS_PROXY`` or ``HTTP_PROXY`` by its
    scheme, else ``ALL_PROXY``), or ``None`` when there is none or ``NO_PROXY`` covers its host."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    if not proxies or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxies.get(parts.scheme) or proxies.get("all")
