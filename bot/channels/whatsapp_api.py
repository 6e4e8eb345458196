"""A small client for the one Graph API call the helpline makes: ``POST {id}/messages``.

Faults, as the helpline treats them::

    GraphUnavailable      Meta did not take the message after the retries (network, 5xx,
                          throughput limits 130429 and 131056): the webhook answers 5xx and Meta
                          redelivers, so the rest of the answer goes out then
    (returned, not raised)
      "window_closed"     131047: the 24-hour customer-service window is closed; the helpline
                          never writes first, so the reply is dropped and counted
      "refused"           any other error code: logged by its code only, the next message goes on

Nothing here logs a recipient, a message or a response body: Graph errors can quote both.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

__all__ = [
    "MAX_ATTEMPTS",
    "THROUGHPUT_CODES",
    "WINDOW_CLOSED",
    "GraphClient",
    "GraphUnavailable",
    "Outcome",
]

log = logging.getLogger(__name__)

THROUGHPUT_CODES = frozenset({130429, 131056})
"""Cloud API throughput reached, and too many messages to one person in a short time."""
WINDOW_CLOSED = 131047
"""More than 24 hours since the person last wrote: only templates may be sent (we send none)."""
MAX_ATTEMPTS = 5
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""One slow call must not hold a webhook request (and Meta's redelivery) for long."""

Outcome = Literal["sent", "window_closed", "refused"]


class GraphUnavailable(Exception):
    """Meta did not accept the message after every retry; try again on redelivery."""


def _error_code(response: httpx.Response) -> int | None:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) else None


@dataclass
class GraphClient:
    """Sends messages from one business phone number with one access token."""

    base_url: str
    phone_number_id: str
    access_token: str
    backoff_seconds: float = 1.0
    client: httpx.AsyncClient = field(
        default_factory=lambda: httpx.AsyncClient(
            timeout=TIMEOUT, limits=httpx.Limits(max_connections=100)
        )
    )

    @property
    def messages_url(self) -> str:
        """Where messages are posted (the phone number id is not secret, the token is)."""
        return f"{self.base_url.rstrip('/')}/{self.phone_number_id}/messages"

    async def send(self, recipient: dict[str, str], message: dict[str, Any]) -> Outcome:
        """Post one message to one person, retrying what may pass; see the module docstring."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        body.update(recipient)
        body.update(message)
        headers = {"Authorization": f"Bearer {self.access_token}"}
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                response = await self.client.post(self.messages_url, json=body, headers=headers)
            except httpx.HTTPError as exc:
                reason = type(exc).__name__
            else:
                if response.is_success:
                    return "sent"
                code = _error_code(response)
                if code == WINDOW_CLOSED:
                    log.info("whatsapp reply dropped: the 24-hour window is closed (131047)")
                    return "window_closed"
                throttled = code in THROUGHPUT_CODES or response.status_code == 429
                if not throttled and response.status_code < 500:
                    log.warning(
                        "whatsapp refused a message: error %s (HTTP %d)",
                        code,
                        response.status_code,
                    )
                    return "refused"
                reason = f"error {code} (HTTP {response.status_code})"
            if attempt == MAX_ATTEMPTS:
                break
            delay = self.backoff_seconds * 2 ** (attempt - 1)
            log.warning("whatsapp send failed: %s; retry %d in %.2f s", reason, attempt, delay)
            await asyncio.sleep(delay)
        log.error("whatsapp send failed %d times; the answer waits for redelivery", MAX_ATTEMPTS)
        raise GraphUnavailable(reason)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()
