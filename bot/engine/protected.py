"""The parts of a text a translation must keep exactly: numbers, links, e-mails, form and fact ids.

A translator rewrites words, but a phone number, a deadline in days, an address on the web, a form
name (I-589) or a fact id (ASY-14) must come through unchanged: one wrong digit in an emergency
number sends a frightened person nowhere. ``protected_parts`` finds them in a text;
``compare_protected`` says what a translation lost or added. A few parts may be written differently
in a language on purpose (a local number, a page in that language): ``locales/variants.yaml``
lists them, and ``load_variants`` reads that list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = [
    "VARIANTS_FILE",
    "Difference",
    "compare_protected",
    "load_variants",
    "protected_parts",
]

VARIANTS_FILE = "variants.yaml"
"""In the locales folder: ``{language: [{english: ..., translation: ..., why: ...}]}``."""

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_URL = (
    r"(?:https?://)?(?:[\w-]+\.)+(?:org|gov|com|net|us|mx|edu|info|io|app)\b(?:/[\w\-./?=&%#~+]*)?"
)
_CODE = r"\b[A-Z]{1,5}-\d+[A-Za-z]?\b"
_DIGITS = r"\d+(?:[ .,\-–]\d+)*"
_PART = re.compile(f"(?P<email>{_EMAIL})|(?P<url>{_URL})|(?P<code>{_CODE})|(?P<digits>{_DIGITS})")


def _normal(kind: str, text: str) -> str:
    """One spelling for the same part: digits only for numbers, lower case for links."""
    if kind == "digits":
        return re.sub(r"\D", "", text)
    if kind == "url":
        return re.sub(r"^https?://", "", text.lower()).rstrip("/.")
    if kind == "email":
        return text.lower()
    return text


def protected_parts(text: str) -> dict[str, str]:
    """Each protected part of ``text``: its normal form -> how it is written there."""
    found: dict[str, str] = {}
    for match in _PART.finditer(text):
        kind = match.lastgroup or "digits"
        written = match.group().rstrip(".,")
        found.setdefault(_normal(kind, written), written)
    return found


@dataclass(frozen=True)
class Difference:
    """What a translation lost and added among the protected parts, as they are written."""

    missing: tuple[str, ...]
    added: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.missing or self.added)


def compare_protected(
    english: str, translation: str, variants: Mapping[str, str] | None = None
) -> Difference:
    """What the translation changed; ``variants`` maps an English part to its allowed local form."""
    source = protected_parts(english)
    target = protected_parts(translation)
    allowed = {_normal_any(part): _normal_any(local) for part, local in (variants or {}).items()}
    missing = []
    for normal, written in source.items():
        if normal in target or allowed.get(normal) in target:
            continue
        missing.append(written)
    expected = set(source) | {allowed[n] for n in source if n in allowed}
    added = [written for normal, written in target.items() if normal not in expected]
    return Difference(tuple(missing), tuple(added))


def _normal_any(text: str) -> str:
    parts = protected_parts(text)
    return next(iter(parts)) if len(parts) == 1 else text


def load_variants(locales_dir: Path) -> dict[str, dict[str, str]]:
    """The allowed local variants per language; an empty list when the file is not there."""
    path = locales_dir / VARIANTS_FILE
    if not path.is_file():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    variants: dict[str, dict[str, str]] = {}
    for language, entries in raw.items():
        for entry in entries or []:
            variants.setdefault(str(language), {})[str(entry["english"])] = str(
                entry["translation"]
            )
    return variants
