"""An organization as a short card a person can act on: what it does, how to reach it, and how
sure we are of it. One card per message, never longer than one phone screen.

Phone numbers are written as plain text ("1-833-468-4664", like the helpline's other screens) so
Telegram and the web chat make them tappable; nothing is formatted with markup that a channel
might show as raw symbols.
"""

from __future__ import annotations

from bot.directory.model import format_phone
from bot.directory.search import Found, Freshness
from bot.directory.vocabulary import CAVEATS, COST, SERVES_ONLY, SERVICES, language_label
from bot.engine.types import Translator
from bot.engine.ui import N_

__all__ = ["CARD_MAX", "render_card"]

CARD_MAX = 700
"""About one phone screen; the content validator uses the same limit for messages."""

WHAT = N_("What they do: {services}")
ONLY_FOR = N_("Only for: {who}")
LANGUAGES = N_("Languages: {languages}")
LANGUAGES_UNKNOWN = N_("Languages: not confirmed")
INTERPRETERS = N_("interpreters")
COST_LINE = N_("Cost: {cost}")
WHOLE_COUNTRY = N_("Works in the whole country")
REMOTE = N_("Helps by phone or online")
VERIFIED = N_("✅ Verified on {date}.")
STALE = N_(
    "⚠️ Last verified on {date}, so it may have changed. Please confirm by phone or website "
    "before relying on it."
)
UNVERIFIED = N_(
    "ℹ️ No one from the helpline has checked this yet. Please confirm by phone or website "
    "before relying on it."
)


def _trust(found: Found, t: Translator) -> str:
    verified = found.provider.last_verified
    if found.freshness is Freshness.FRESH and verified is not None:
        return t.gettext(VERIFIED).format(date=t.format_date(verified))
    if found.freshness is Freshness.STALE and verified is not None:
        return t.gettext(STALE).format(date=t.format_date(verified))
    return t.gettext(UNVERIFIED)


def _languages(found: Found, t: Translator) -> str:
    provider = found.provider
    names = [language_label(code, t.locale, t.gettext) for code in provider.languages]
    if provider.interpretation:
        names.append(t.gettext(INTERPRETERS))
    if not names:
        return t.gettext(LANGUAGES_UNKNOWN)
    return t.gettext(LANGUAGES).format(languages=", ".join(names))


def _lines(found: Found, t: Translator, number: int | None, services: int) -> list[str]:
    provider = found.provider
    lines = [f"{number}. {provider.name}" if number is not None else provider.name]
    place = f"📍 {provider.city}, {provider.state}" if provider.city and provider.state else ""
    if provider.nationwide and not place:
        place = f"📍 {t.gettext(WHOLE_COUNTRY)}"
    if provider.remote:
        place = f"{place} · {t.gettext(REMOTE)}" if place else f"📍 {t.gettext(REMOTE)}"
    if place:
        lines.append(place)
    shown = [t.gettext(SERVICES[code]) for code in provider.services[:services]]
    if services < len(provider.services):
        shown.append("…")
    lines.append(t.gettext(WHAT).format(services=", ".join(shown)))
    if provider.serves_only:
        who = " / ".join(t.gettext(SERVES_ONLY[code]) for code in provider.serves_only)
        lines.append(t.gettext(ONLY_FOR).format(who=who))
    lines.append(_languages(found, t))
    if provider.cost:
        cost = " / ".join(t.gettext(COST[code]) for code in provider.cost)
        lines.append(t.gettext(COST_LINE).format(cost=cost))
    lines.extend(f"❗ {t.gettext(CAVEATS[code])}" for code in provider.caveats)
    if provider.phone:
        lines.append(f"☎️ {format_phone(provider.phone)}")
    if provider.website:
        lines.append(f"🌐 {provider.website}")
    if provider.hours:
        lines.append(f"🕒 {provider.hours}")
    lines.append(_trust(found, t))
    return lines


def render_card(found: Found, t: Translator, number: int | None = None) -> str:
    """The card in the reader's language; services are shortened if it would not fit a screen."""
    services = len(found.provider.services)
    text = "\n".join(_lines(found, t, number, services))
    while len(text) > CARD_MAX and services > 1:
        services -= 1
        text = "\n".join(_lines(found, t, number, services))
    return text[:CARD_MAX]
