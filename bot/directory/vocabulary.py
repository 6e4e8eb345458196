"""The controlled vocabularies of the legal-aid directory, with the words people read for each.

Editors write short codes (``asylum``, ``es``, ``free``) so that the search can compare them and
the validator can catch a typo; people read the label in their own language. Labels are gettext
msgids (``N_``), translated like every other interface string.
"""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale, UnknownLocaleError

from bot.engine.ui import N_

__all__ = [
    "CAVEATS",
    "COST",
    "EXTRA_LANGUAGES",
    "MEXICO",
    "SERVES_ONLY",
    "SERVICES",
    "is_known_language",
    "language_label",
]

SERVICES: dict[str, str] = {
    "asylum": N_("asylum"),
    "withholding": N_("withholding of removal"),
    "cat": N_("Convention Against Torture (CAT)"),
    "removal_defense": N_("defense in immigration court (deportation cases)"),
    "detained": N_("people in immigration detention"),
    "children": N_("children"),
    "families": N_("families"),
    "bond": N_("bond"),
    "parole": N_("parole"),
    "appeals": N_("appeals"),
    "legal_orientation": N_("legal orientation talks"),
    "know_your_rights": N_("know-your-rights information"),
    "credible_fear": N_("preparation for the credible fear interview"),
    "pro_se_help": N_("help for people without a lawyer"),
    "pro_bono_placement": N_("finding a volunteer lawyer"),
    "representation": N_("legal representation"),
    "consultations": N_("legal consultations"),
    "legal_screening": N_("legal screening"),
    "referrals": N_("referrals to free or low-cost legal help"),
    "legal_information": N_("legal information"),
    "workshops": N_("classes and workshops"),
    "vawa": N_("VAWA petitions"),
    "u_visa": N_("U visas"),
    "t_visa": N_("T visas"),
    "sijs": N_("Special Immigrant Juvenile Status (SIJS)"),
    "daca": N_("DACA"),
    "cancellation": N_("cancellation of removal"),
    "citizenship": N_("citizenship"),
    "civil_legal_aid": N_("free civil legal aid"),
    "immigration": N_("immigration legal services"),
    "support_services": N_("support, counseling and housing"),
    "membership": N_("membership"),
    "litigation": N_("lawsuits (litigation)"),
}
"""Service code → label. Add a code here (with its label) before using it in providers.yaml."""

SERVES_ONLY: dict[str, str] = {
    "detained": N_("people in immigration detention"),
    "children": N_("children"),
}
"""Who an organization is limited to, when its sources say it serves only them."""

COST: dict[str, str] = {
    "free": N_("free"),
    "low_cost": N_("low cost"),
    "sliding_scale": N_("cost depends on income"),
}

CAVEATS: dict[str, str] = {
    "no_court_representation": N_("It does not represent people in court."),
    "low_income": N_("For people with low income."),
    "phone_from_2018": N_("This phone number dates from about 2018; it may have changed."),
}
"""Caveat code → the sentence a card shows, so that a person is not misled about an organization
(review of December 2026, item 28). Add a code here (with its sentence) before using it."""

MEXICO = "MX"
"""In ``states_served``: it also works with people on the Mexican side of the border."""

EXTRA_LANGUAGES: dict[str, str] = {
    "myn": N_("Mayan languages"),
}
"""Language codes Babel (CLDR) has no name for: ISO 639 collective codes, with our own label."""

_CLDR = Locale("en")


def is_known_language(code: str) -> bool:
    """A lowercase ISO 639 code that CLDR (via Babel) names, or one of ``EXTRA_LANGUAGES``."""
    return code in EXTRA_LANGUAGES or (code.islower() and code in _CLDR.languages)


def language_label(code: str, locale: str, gettext: Callable[[str], str] | None = None) -> str:
    """The language's name as a reader of ``locale`` writes it ("español", "Spanish")."""
    if code in EXTRA_LANGUAGES:
        label = EXTRA_LANGUAGES[code]
        return gettext(label) if gettext is not None else label
    try:
        names = Locale.parse(locale).languages
    except (ValueError, UnknownLocaleError):
        names = _CLDR.languages
    return str(names.get(code) or _CLDR.languages.get(code) or code)
