"""Text helpers shared by the parts that read what people type (free text, US state names)."""

from __future__ import annotations

import unicodedata

__all__ = ["fold_accents"]


def fold_accents(text: str) -> str:
    """``text`` without accents: "Nuevo México", "pingüino", "año" → "Nuevo Mexico", "pinguino",
    "ano".

    People type on cheap phones, often without accents, or with the wrong ones; matching must not
    depend on them. Compatibility decomposition (NFKD) also turns ligatures and full-width letters
    into plain ones; then the combining marks are dropped. Case is kept: callers fold it as they
    need.
    """
    if text.isascii():  # most typed messages: nothing to decompose, and no mark to drop
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
