"""Small HTTP helpers shared by the web chat and the webhook."""

from __future__ import annotations

from fastapi import Request

__all__ = ["BodyTooLarge", "read_limited_body"]


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
