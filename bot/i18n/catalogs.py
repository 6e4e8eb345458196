"""Translations with Babel: compiled gettext catalogs, locale negotiation and date formatting.

English is the source language (the msgids); every other language is a ``.po`` file under
``locales/<lang>/LC_MESSAGES/messages.po`` compiled to ``.mo``. ``ensure_compiled`` recompiles a
catalog whose ``.po`` is newer than its ``.mo``, so an editor's saved translation is what runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["DOMAIN", "BabelLocalizer", "BabelTranslator", "ensure_compiled", "load_localizer"]

log = logging.getLogger(__name__)

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class BabelTranslator:
    """One language: gettext lookups and Babel date formatting."""

    locale: str
    translations: NullTranslations

    def gettext(self, message: str) -> str:
        """The translation of an English msgid, or the msgid when there is none."""
        return self.translations.gettext(message) if message else message

    def format_date(self, date: dt.date) -> str:
        """The date as a reader of this language writes it, e.g. "23 de noviembre de 2026"."""
        return format_date(date, format="long", locale=self.locale)


@dataclass
class BabelLocalizer:
    """The languages the helpline speaks, in menu order."""

    translators: dict[str, BabelTranslator] = field(default_factory=dict)

    @property
    def locales(self) -> list[str]:
        """Enabled language codes in menu order."""
        return list(self.translators)

    def translator(self, locale: str) -> BabelTranslator:
        """The translator for ``locale``; the first language when it is not enabled."""
        return self.translators.get(locale) or next(iter(self.translators.values()))

    def negotiate(self, hint: str | None) -> str | None:
        """Map a client's language tag (``es-MX``, ``es_419``, ``en-US``) to an enabled language."""
        if not hint:
            return None
        try:
            parsed = Locale.parse(hint.replace("_", "-"), sep="-")
        except (ValueError, UnknownLocaleError):
            return None
        return negotiate_locale([str(parsed), parsed.language], self.locales, sep="_")

    def language_name(self, locale: str) -> str:
        """The language's name in itself, capitalised: "Español", "English"."""
        try:
            name = Locale.parse(locale).get_display_name(locale) or locale
        except (ValueError, UnknownLocaleError):
            name = locale
        return name[:1].upper() + name[1:]


def ensure_compiled(locales_dir: Path) -> list[Path]:
    """Compile each ``.po`` whose ``.mo`` is missing or older; return the catalogs compiled."""
    compiled: list[Path] = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        compiled.append(po_path)
    return compiled


def load_localizer(locales_dir: Path, languages: list[str]) -> BabelLocalizer:
    """Build the localizer for ``languages`` (menu order); a language without a catalog is skipped.

    English needs no catalog: its strings are the msgids.
    """
    ensure_compiled(locales_dir)
    localizer = BabelLocalizer()
    for code in languages:
        if code == SOURCE_LANGUAGE:
            localizer.translators[code] = BabelTranslator(code, NullTranslations())
            continue
        mo_path = locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not mo_path.exists():
            log.warning("language %s has no catalog in %s; it is not offered", code, locales_dir)
            continue
        translations = Translations.load(str(locales_dir), [code], DOMAIN)
        localizer.translators[code] = BabelTranslator(code, translations)
    if not localizer.translators:
        localizer.translators[SOURCE_LANGUAGE] = BabelTranslator(SOURCE_LANGUAGE, NullTranslations())
    return localizer
