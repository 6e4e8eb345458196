"""What an editor writes in ``flows/legal_aid/*.yaml``, as pydantic models that explain mistakes.

Every check says what is wrong in words an NGO editor can act on ("write the two-letter code
TX"), because the person who keeps this list up to date is not a programmer. Models refuse unknown
fields so that a misspelt field name is reported instead of silently ignored. A wrong phone
number here would send a frightened person to nobody, so phones and web addresses are checked with
real parsers (``phonenumbers``, pydantic's URL type), not patterns.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import phonenumbers
import us
from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
)
from rapidfuzz import process

from bot.directory.states import parse_state
from bot.directory.vocabulary import (
    CAVEATS,
    COST,
    MEXICO,
    SERVES_ONLY,
    SERVICES,
    is_known_language,
)

__all__ = [
    "ID_PATTERN",
    "LIST_FIELDS",
    "STATE_CODES",
    "NationalResource",
    "Provider",
    "court_city",
    "court_state",
    "format_phone",
    "normalize_phone",
]

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
"""Ids are short ASCII words: they are stable names for an entry, kept when its name changes."""

STATE_CODES: frozenset[str] = frozenset(s.abbr for s in us.states.STATES_AND_TERRITORIES)
"""Two-letter codes of the states, DC and the territories (from the ``us`` library)."""

LIST_FIELDS = (
    "courts",
    "states_served",
    "services",
    "serves_only",
    "languages",
    "cost",
    "caveats",
)
"""Provider fields that hold lists (a spreadsheet cell separates their items with ";")."""

COURT_MAX = 40
"""A court is sent back in a Telegram button (64 bytes with its prefix): keep it short."""

_COURT = re.compile(r"^(?P<city>[^,]+), (?P<state>[A-Z]{2})$")
_SOURCE_DATE = re.compile(r"^~?\d{4}(-\d{2}(-\d{2})?)?$")
_URL = TypeAdapter(HttpUrl)
_ENGLISH_LANGUAGE_NAMES = {str(name).lower(): code for code, name in Locale("en").languages.items()}


def _suggest(value: str, choices: list[str]) -> str:
    found = process.extractOne(value, choices, score_cutoff=70)
    return f'; did you mean "{found[0]}"?' if found else ""


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f'the id "{value}" must use only lowercase letters, digits and _ (40 at most), '
            "e.g. las_americas"
        )
    return value


def _check_state(value: str) -> str:
    if value in STATE_CODES:
        return value
    guess = parse_state(value).code
    if guess in STATE_CODES:
        raise ValueError(f'write the two-letter code "{guess}" instead of "{value}"')
    raise ValueError(f'"{value}" is not a US state: use its two-letter code, e.g. TX or CA')


def _check_state_served(value: str) -> str:
    if value == MEXICO:
        return value
    return _check_state(value)


def _check_court(value: str) -> str:
    match = _COURT.match(value)
    if match is None:
        raise ValueError(f'write the court as "City, ST", e.g. "San Antonio, TX" (not "{value}")')
    _check_state(match["state"])
    if len(value) > COURT_MAX:
        raise ValueError(f'the court "{value}" is longer than {COURT_MAX} characters; shorten it')
    return value


def _check_service(value: str) -> str:
    if value not in SERVICES:
        raise ValueError(
            f'unknown service "{value}"{_suggest(value, list(SERVICES))} '
            f"(allowed: {', '.join(SERVICES)})"
        )
    return value


def _check_caveat(value: str) -> str:
    if value not in CAVEATS:
        raise ValueError(
            f'unknown caveat "{value}"{_suggest(value, list(CAVEATS))} '
            f"(allowed: {', '.join(CAVEATS)})"
        )
    return value


def _check_serves_only(value: str) -> str:
    if value not in SERVES_ONLY:
        raise ValueError(f'"{value}" cannot be used here (allowed: {", ".join(SERVES_ONLY)})')
    return value


def _check_language(value: str) -> str:
    if is_known_language(value):
        return value
    code = _ENGLISH_LANGUAGE_NAMES.get(value.strip().lower())
    if code is not None:
        raise ValueError(f'write the language code "{code}" instead of "{value}"')
    raise ValueError(
        f'unknown language "{value}": write its ISO code, e.g. es (Spanish), en (English), '
        "myn (Mayan languages)"
    )


def _check_cost(value: str) -> str:
    if value not in COST:
        raise ValueError(f'unknown cost "{value}" (allowed: {", ".join(COST)})')
    return value


def normalize_phone(value: str) -> str:
    """A US phone number written any usual way ("833-468-4664"), as E.164 ("+18334684664")."""
    parsed = phonenumbers.parse(value, "US")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """How people read a number: "1-833-468-4664", the form the helpline's other screens use."""
    parsed = phonenumbers.parse(value, "US")
    if parsed.country_code == 1:
        digits = str(parsed.national_number)
        return f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _check_phone(value: str) -> str:
    if value == "":
        return value
    hint = 'write it like +18005551234, or leave it empty ("") when it is not confirmed'
    try:
        parsed = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise ValueError(f'"{value}" is not a phone number: {hint}') from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f'"{value}" is not a valid phone number: {hint}')
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if value != e164:
        raise ValueError(f'write the phone number as "{e164}" (no spaces or dashes)')
    return value


def _check_website(value: str) -> str:
    if value == "":
        return value
    hint = "write it in full, e.g. https://example.org, or leave it empty"
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise ValueError(f'"{value}" is not a web address: {hint}')
    try:
        url = _URL.validate_python(value)
    except ValidationError:
        raise ValueError(f'"{value}" is not a web address: {hint}') from None
    if not url.host or "." not in url.host:
        raise ValueError(f'"{value}" is not a web address: {hint}')
    return value


def _date_as_text(value: Any) -> Any:
    """YAML reads 2024-09-28 as a date; the source date is kept as the text the source gave."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _check_source_date(value: str | None) -> str | None:
    if value is not None and not _SOURCE_DATE.match(value):
        raise ValueError(
            f'"{value}" is not a source date: write 2024-09-28, 2024-09 or 2024 '
            "(~2024 when approximate), or null when the source has no date"
        )
    return value


def _nonempty(value: str) -> str:
    if not value.strip():
        raise ValueError("this cannot be empty")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, AfterValidator(_nonempty)]
StateCode = Annotated[str, AfterValidator(_check_state)]
ServedState = Annotated[str, AfterValidator(_check_state_served)]
Court = Annotated[str, AfterValidator(_check_court)]
Service = Annotated[str, AfterValidator(_check_service)]
ServesOnly = Annotated[str, AfterValidator(_check_serves_only)]
Caveat = Annotated[str, AfterValidator(_check_caveat)]
Language = Annotated[str, AfterValidator(_check_language)]
Cost = Annotated[str, AfterValidator(_check_cost)]
Phone = Annotated[str, AfterValidator(_check_phone)]
Website = Annotated[str, AfterValidator(_check_website)]
SourceDate = Annotated[
    str | None, BeforeValidator(_date_as_text), AfterValidator(_check_source_date)
]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provider(_Entry):
    """One organization that gives free or low-cost legal help.

    ``state`` is where its office is; ``states_served`` where else it helps people (``MX`` for
    the Mexican side of the border); ``nationwide`` for organizations that serve every state.
    ``remote`` means it helps by phone or online. ``serves_only`` marks organizations that, by
    their sources, serve only detained people or children, so others are not sent there first.
    ``doj_recognized`` and ``interpretation`` stay ``null`` until a source says yes or no.
    ``caveats`` are codes of sentences the card shows so nobody is misled (``CAVEATS``).
    """

    id: Id
    name: Text
    city: str = ""
    state: StateCode | None = None
    courts: list[Court] = Field(default_factory=list)
    states_served: list[ServedState] = Field(default_factory=list)
    nationwide: bool = False
    remote: bool = False
    services: list[Service] = Field(min_length=1)
    serves_only: list[ServesOnly] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    interpretation: bool | None = None
    phone: Phone = ""
    website: Website = ""
    hours: str = ""
    cost: list[Cost] = Field(default_factory=list)
    caveats: list[Caveat] = Field(default_factory=list)
    doj_recognized: bool | None = None
    last_verified: dt.date | None = None
    source: Text
    source_date: SourceDate = None
    notes: str = ""

    @property
    def regions(self) -> frozenset[str]:
        """Every state (and ``MX``) it serves, its own state included."""
        own = {self.state} if self.state else set()
        return frozenset(own | set(self.states_served))

    @property
    def contactable(self) -> bool:
        """A person can reach it: it has a phone number or a web address."""
        return bool(self.phone or self.website)


class NationalResource(_Entry):
    """A federal or national resource that applies everywhere (the EOIR list, the court line...).

    People read these in the ``legal_aid_national`` screen of ``flows/legal_aid.yaml``, where
    they are translated; this file keeps the numbers and addresses, and how sure we are of them
    (``confidence`` as in the sources: G official text, S secondary source, ? unconfirmed).
    ``shown: true`` means the screen quotes it; the validator then checks that the screen and
    each translation carry exactly this phone number and web address. ``last_verified`` follows
    the organisations' rules (``LEGAL_AID_WARN_DAYS`` / ``LEGAL_AID_HIDE_DAYS``).
    """

    id: Id
    name: Text
    phone: Phone = ""
    website: Website = ""
    hours: str = ""
    confidence: Literal["G", "S", "?"]
    shown: bool
    source: Text
    last_verified: dt.date | None = None
    """The day a person last confirmed the number or address, as for organisations."""
    notes: str = ""


def court_city(court: str) -> str:
    """ "San Antonio, TX" → "San Antonio"."""
    return court.rsplit(",", 1)[0].strip()


def court_state(court: str) -> str:
    """ "San Antonio, TX" → "TX"."""
    return court.rsplit(",", 1)[-1].strip()
