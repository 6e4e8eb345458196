"""Request bodies that stall are timed out; a client that leaves mid-body is one log line.

uvicorn bounds a body's size per event but not the time between its chunks: a client that sends
half a body and waits would hold a request (and its handler) forever. ``BodyDeadline`` gives
each chunk ``seconds`` to arrive while the body is incomplete and answers 408 when one does not.
A client that disconnects mid-body makes Starlette raise ``ClientDisconnect``; that is logged as
one short line instead of a traceback.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BODY_CHUNK_SECONDS", "BodyDeadline"]

log = logging.getLogger(__name__)

BODY_CHUNK_SECONDS = 10.0
"""Longest wait for the next piece of a request body."""


class BodyStalled(Exception):
    """No piece of the body arrived in time."""


class BodyDeadline:
    """ASGI middleware: a deadline per body chunk, and quiet client disconnects."""

    def __init__(self, app: ASGIApp, seconds: float | None = None) -> None:
        self.app = app
        self.seconds = BODY_CHUNK_SECONDS if seconds is None else seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a timed ``receive``."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_done = False
        started = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout(self.seconds):
                    message = await receive()
            except TimeoutError:
                raise BodyStalled from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except BodyStalled:
            log.info("request body stalled for %.0f s; answered 408", self.seconds)
            if not started:
                await JSONResponse({"error": "request body timed out"}, status_code=408)(
                    scope, receive, send
                )
        except ClientDisconnect:
            log.info("client disconnected before its request body was read")
