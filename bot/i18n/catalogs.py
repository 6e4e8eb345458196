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

from bot.i18n.negotiation import preferred_tags

__all__ = [
    "DEFAULT_MIN_COVERAGE",
    "DOMAIN",
    "SOURCE_LANGUAGE",
    "BabelLocalizer",
    "BabelTranslator",
    "Coverage",
    "catalog_coverage",
    "catalog_paths",
    "enabled_languages",
    "ensure_compiled",
    "load_localizer",
]

log = logging.getLogger(__name__)

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
DEFAULT_MIN_COVERAGE = 0.9
"""Share of strings a new language needs before it appears in the language menu."""


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
        """Map a client's language tag (``es-MX``, ``es_419``, ``en-US``) or a whole
        ``Accept-Language`` header (``fr-CA,es;q=0.8``) to an enabled language: the first tag, in
        the client's order of preference, that an enabled language serves."""
        if not hint:
            return None
        preferred: list[str] = []
        for tag in preferred_tags(hint):
            try:
                parsed = Locale.parse(tag.replace("_", "-"), sep="-")
            except (ValueError, UnknownLocaleError):
                continue
            preferred += [str(parsed), parsed.language]
        return negotiate_locale(preferred, self.locales, sep="_") if preferred else None

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
        try:
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
        except OSError as exc:
            log.warning(
                "cannot write %s (%s); serving the last compiled catalog", mo_path, exc.strerror
            )
            continue
        compiled.append(po_path)
    return compiled


def load_localizer(
    locales_dir: Path, languages: list[str], min_coverage: float = DEFAULT_MIN_COVERAGE
) -> BabelLocalizer:
    """Build the localizer: ``languages`` in menu order, then any other catalog translated enough.

    English needs no catalog: its strings are the msgids. A language listed in ``languages`` is
    offered whenever it has a catalog; a catalog that is not listed (a new language being
    translated) joins the menu once ``min_coverage`` of its strings are translated.
    """
    ensure_compiled(locales_dir)
    localizer = BabelLocalizer()
    for code in enabled_languages(locales_dir, languages, min_coverage):
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
        english = BabelTranslator(SOURCE_LANGUAGE, NullTranslations())
        localizer.translators[SOURCE_LANGUAGE] = english
    return localizer


@dataclass(frozen=True)
class Coverage:
    """How much of one catalog is translated; fuzzy entries do not count (they are not used)."""

    locale: str
    total: int
    translated: int
    fuzzy: int

    @property
    def untranslated(self) -> int:
        """Entries with no translation at all."""
        return self.total - self.translated - self.fuzzy

    @property
    def ratio(self) -> float:
        """Translated share, 0.0 to 1.0 (1.0 for an empty catalog: nothing is missing)."""
        return self.translated / self.total if self.total else 1.0


def catalog_paths(locales_dir: Path) -> dict[str, Path]:
    """Every ``<lang>/LC_MESSAGES/messages.po`` under ``locales_dir``, by language code."""
    return {
        path.parent.parent.name: path
        for path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    }


def catalog_coverage(po_path: Path) -> Coverage:
    """Count translated, fuzzy and missing entries of one ``.po`` file (the header excluded)."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    total = translated = fuzzy = 0
    for message in catalog:
        if not message.id:
            continue
        total += 1
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy and any(strings):
            fuzzy += 1
        elif all(strings):
            translated += 1
    return Coverage(po_path.parent.parent.name, total, translated, fuzzy)


def enabled_languages(locales_dir: Path, languages: list[str], min_coverage: float) -> list[str]:
    """Menu order: the configured languages first, then unlisted catalogs at ``min_coverage``."""
    enabled = list(dict.fromkeys(languages))
    for code, po_path in catalog_paths(locales_dir).items():
        if code in enabled or code == SOURCE_LANGUAGE:
            continue
        try:
            coverage = catalog_coverage(po_path)
        except Exception as exc:  # noqa: BLE001 - a broken catalog must not stop the others
            log.warning("catalog %s unreadable (%s); not offered", code, type(exc).__name__)
            continue
        if coverage.ratio >= min_coverage:
            enabled.append(code)
        else:
            log.info("language %s is %.0f%% translated; not offered", code, coverage.ratio * 100)
    return enabled
