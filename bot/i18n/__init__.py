"""Languages: Babel catalogs, locale negotiation, date formatting and the flow extractor."""

from bot.i18n.catalogs import BabelLocalizer, BabelTranslator, ensure_compiled, load_localizer

__all__ = ["BabelLocalizer", "BabelTranslator", "ensure_compiled", "load_localizer"]
