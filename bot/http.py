"""Small HTTP helpers shared by the web chat and the webhook."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "SECURITY_HEADERS",
    "BodyTooLarge",
    "SecurityHeaders",
    "read_limited_body",
    "read_limited_form",
]

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'"
    ),
}
"""No MIME sniffing, no Referer to the sites people open from here, and only the service's own
script (the chat page's one inline ``<style>`` aside): text that reached a page by mistake cannot
run. Framing is left allowed on purpose, for NGOs that embed the chat in their site."""


class BodyTooLarge(Exception):
    """The request body is over the configured limit."""


async def read_limited_body(request: Request, limit: int) -> bytes:
    """Read the body, refusing it as soon as it passes ``limit`` bytes (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def read_limited_form(request: Request, limit: int) -> dict[str, str]:
    """The text fields of a form post whose body is at most ``limit`` bytes.

    Starlette bounds each form field (1 MB) but not their number times their size, and spools
    uploaded files to disk without a bound: the body is read under ``limit`` first, then parsed.
    Raises ``BodyTooLarge`` like ``read_limited_body``.
    """
    body = await read_limited_body(request, limit)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return {"type": "http.disconnect"}
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form()
    try:
        return {key: value for key, value in form.items() if isinstance(value, str)}
    finally:
        await form.close()


class SecurityHeaders:
    """ASGI middleware adding ``SECURITY_HEADERS`` to every response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
