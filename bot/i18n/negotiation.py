"""Which languages a client prefers, from an ``Accept-Language`` header (RFC 9110, 12.5.4).

A phone set to Quechua with Spanish second sends ``qu-PE,qu;q=0.9,es-PE;q=0.8``: reading only
the first tag would miss the Spanish the person also reads. Every tag counts, in the order of its
quality value (``q``; 1 when absent), ties in the order written; ``q=0`` means "not this one".
"""

from __future__ import annotations

import re

__all__ = ["preferred_tags"]

_Q = re.compile(r"^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$", re.IGNORECASE)


def preferred_tags(header: str) -> list[str]:
    """The language tags of ``header``, most preferred first (``*`` and ``q=0`` left out).

    A single tag (Telegram's ``language_code``, ``es-MX``) gives itself; a malformed quality value
    makes that tag count as least preferred rather than dropping the whole header."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, *params = item.split(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params:
            if param.strip().lower().startswith("q"):
                match = _Q.match(param)
                quality = float(match.group(1)) if match else 0.001
        if quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]
