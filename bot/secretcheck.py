"""Is a configured secret strong enough? A length, an entropy estimate and the usual weak shapes.

A token that protects the admin pages, ``/metrics``, the webhook or the conversation keys must be
random: ``ADMIN_TOKEN=a`` or ``STATE_SECRET=x`` turns every protection into a guess. The service
refuses to start with such a value (see ``bot.settings``), and the message says how to make a good
one. Entropy is estimated from the characters themselves (Shannon entropy of their frequencies,
times the length), so a random value of any alphabet passes (32 hex characters: about 115 bits)
and a repeated, sequential or word-like value does not.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

__all__ = ["MIN_BITS", "MIN_LENGTH", "PLACEHOLDERS", "estimated_bits", "weakness"]

MIN_LENGTH = 32
"""Characters; ``secrets.token_urlsafe(32)`` gives 43, ``secrets.token_hex(16)`` gives 32."""
MIN_BITS = 80.0
"""Estimated bits; 32 random hex characters score about 115 (rarely below 90), base64 of 43
about 220."""
PLACEHOLDERS = ("changeme", "change-me", "change_me", "password", "secret", "example", "replace")
"""Words that mark a value copied from documentation or typed by hand."""
HOW_TO = 'make one with: python3 -c "import secrets; print(secrets.token_urlsafe(32))"'


def estimated_bits(raw: str) -> float:
    """Shannon entropy of the characters' frequencies, times the length."""
    if not raw:
        return 0.0
    counts = Counter(raw)
    total = len(raw)
    per_character = -sum(n / total * math.log2(n / total) for n in counts.values())
    return per_character * total


def _repeats_itself(raw: str) -> bool:
    """True when the value is (nearly) one short piece said again and again."""
    text = raw[:512]
    for period in range(1, len(text) // 2 + 1):
        same = sum(1 for i in range(len(text) - period) if text[i] == text[i + period])
        if same >= 0.9 * (len(text) - period):
            return True
    return False


def _runs_in_order(raw: str) -> bool:
    """True when two thirds of neighbouring characters are equal or adjacent (``abcd``)."""
    steps = [abs(ord(b) - ord(a)) <= 1 for a, b in itertools.pairwise(raw)]
    return bool(steps) and sum(steps) * 3 >= len(steps) * 2


def weakness(name: str, raw: str) -> str | None:
    """Why the secret called ``name`` (an environment variable) is weak; ``None`` if it is not."""
    lowered = raw.lower()
    if len(raw) < MIN_LENGTH:
        return f"{name} is too short ({len(raw)} characters; at least {MIN_LENGTH}): {HOW_TO}"
    word = next((w for w in PLACEHOLDERS if w in lowered), None)
    if word is not None:
        return f"{name} contains the word {word!r}, so it was not made at random: {HOW_TO}"
    if _repeats_itself(raw) or _runs_in_order(raw):
        return f"{name} repeats itself or runs in order (like 'abcabc' or '1234'): {HOW_TO}"
    bits = estimated_bits(raw)
    if bits < MIN_BITS:
        return (
            f"{name} is too predictable (about {bits:.0f} bits; at least {MIN_BITS:.0f}): {HOW_TO}"
        )
    return None
