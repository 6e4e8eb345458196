"""The one-year asylum deadline calculator: the built-in action ``deadline_calculator``.

A person types the date of their last arrival in the United States ("15 de marzo de 2025",
"March 2025", "15/03/2025"); the action answers with the date it understood, the date one year
later, written the way their language writes dates (Babel, through the Translator), and how many
days are left. Facts: ASY-7 (the deadline and its exceptions), ASY-12 (a complete application) and
WOR-2 (no deadline for withholding).

**It never guesses late.** A deadline stated later than the real one can cost a person their
asylum claim, so:

- a numeric date that can be read two ways (``05/03/2025``: 5 March or 3 May) is never guessed:
  the person gets two buttons with the month written out and picks one;
- when only the month is known, the count starts from its first day, the answer says so, and it
  tells the person to count from the earliest date and not to wait for the last days;
- the date understood is always repeated, so a misreading can be seen and corrected.

``tests/content/test_deadline_property.py`` checks with hypothesis, over many dates and the ways
people write them in both languages, that no date the bot states is after the true deadline.

Nothing about the date is kept: the action returns no answers, and logs nothing. It is pure: "today"
comes from ``services.extras["today"]`` (a date, or a function returning one) so tests can fix it,
and defaults to the system date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from babel.dates import format_skeleton, get_month_names
from babel.numbers import format_decimal

from bot.engine.actions import ActionContext, ActionResult, action
from bot.engine.types import Button, Reply, Services, Translator
from bot.engine.ui import N_

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = [
    "Ambiguous",
    "Arrival",
    "DateProblem",
    "ask_which",
    "days_until",
    "describe",
    "one_year_after",
    "read_arrival",
    "today_from",
    "warm_up",
]

EMERGENCY = "emergency"
_NOT_A_TOPIC = frozenset({"main", "welcome"})
"""Screens free text may match that would only lose the question (a greeting matches the menu)."""
SOON_DAYS = 30
"""At or under this many days left, the answer says there is very little time."""
OLDEST_YEAR = 1940
"""An arrival before this year is almost surely a typing mistake."""

DateProblem = Literal["unreadable", "no_year", "no_month", "future", "too_old"]

_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2}\b")
"""A four-digit year, or a numeric date ending in a two-digit year (15/03/25)."""
_SEP = r"(?:\s*[/.\-]\s*|\s+)"
_DAY_MONTH_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})(?!\d)")
"""Two numbers then a year: day/month or month/day, which cannot be told apart by the order."""
_YEAR_MONTH_DAY = re.compile(rf"(?<!\d)(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?!\d)")
"""ISO order (2025-03-15): year, month, day. Also the payload of the "which date?" buttons."""

_EXTRA_MONTHS = {"setiembre": 9, "set": 9, "sep": 9, "sept": 9}
"""Spellings people use that Babel's month names lack."""


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    """Month names and abbreviations in Spanish and English, lowercase → month number."""
    names: dict[str, int] = dict(_EXTRA_MONTHS)
    for locale in ("es", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[str(name).lower().rstrip(".")] = int(number)
    return names


@lru_cache(maxsize=1)
def _word_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Day-month-year, month-day-year and month-year, with the month in words."""
    months = "|".join(sorted(map(re.escape, _month_numbers()), key=len, reverse=True))
    month = rf"(?P<month>{months})\.?"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th|o|º|°)?"
    link = r"(?:\s*,\s*|\s+)(?:(?:de|del|of)\s+)?"
    return (
        re.compile(
            rf"(?<![\w]){day}\s*(?:de\s+|of\s+|-|/)?{month}(?:{link}|-|/)(?P<year>\d{{4}}|\d{{2}})(?!\d)"
        ),
        re.compile(rf"(?<![\w]){month}\s*{day}(?:{link})(?P<year>\d{{4}}|\d{{2}})(?!\d)"),
        re.compile(rf"(?<![\w]){month}(?:{link}|-|/)(?P<year>\d{{4}})(?!\d)"),
    )


_MONTH_YEAR = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
"""A month and a year in numbers: 3/2025, 03-2025."""

# -- what the person reads (English msgids; extracted by pybabel with -k N_) --------------------
ARRIVAL_EXACT = N_("I understood that you last arrived on {arrival}.")
DEADLINE_EXACT = N_(
    "One year after that is {deadline}. Do not wait for that day: apply well before it."
)
"""The last day itself is never promised: the law says "within one year" (ASY-7), and a lawyer
should confirm the exact last day for a case."""
MONTH_ONLY = N_(
    "You wrote only the month, {month}. To be safe, I counted from its first day, {arrival}."
)
EARLIEST = N_(
    "Count from the earliest day you may have arrived. Do not wait for the last days: apply as "
    "soon as you can. An application that is not complete may be treated as given up, so get "
    "help to fill it in."
)
ASK_EXACT = N_("If you know the exact day, write it, for example 15 March 2025.")
WHICH_DATE = N_("That date can be read in two ways. Which day did you arrive?")
WHICH_OR_WRITE = N_("Or write the date with the month in words, for example 15 March 2025.")
IN_DAYS = N_("That is in {days} days.")
TOMORROW = N_("That is tomorrow.")
TODAY = N_("That is today.")
AGO_DAYS = N_("That date has passed: it was {days} days ago.")
YESTERDAY = N_("That date has passed: it was yesterday.")
SOON = N_("There is very little time. A lawyer or a free legal service can tell you what to do.")
MAYBE_PASSED = N_(
    "Depending on the day you arrived, the deadline may have passed already. "
    "Ask a lawyer as soon as you can."
)
PROBLEMS: dict[DateProblem, str] = {
    "unreadable": N_(
        "Sorry, I could not read a date there. Please write the day, month and year, for example "
        "15 March 2025. If you only know the month, write the month and year, for example "
        "March 2025."
    ),
    "no_year": N_("Please write the year too, for example 15 March 2025 or March 2025."),
    "no_month": N_(
        "Please write the month too, for example March 2025. "
        "The exact day matters for the deadline."
    ),
    "future": N_(
        "That date is in the future. Please write the date you last arrived in the United States, "
        "for example 15 March 2025."
    ),
    "too_old": N_(
        "Please check the year. Write the date you last arrived, for example 15 March 2025."
    ),
}


@dataclass(frozen=True)
class Arrival:
    """The last arrival as the person gave it: one day, or the days of one month."""

    first: dt.date
    last: dt.date

    @property
    def exact(self) -> bool:
        """True when the person gave the day, not only the month."""
        return self.first == self.last


@dataclass(frozen=True)
class Ambiguous:
    """A numeric date that reads as two real days (5 March or 3 May): the person must choose."""

    options: tuple[dt.date, dt.date]


def today_from(services: Services) -> dt.date:
    """Today's date from the services' clock (tests fix it), else the system date."""
    clock = services.extras.get("today")
    if callable(clock):
        clock = clock()
    if isinstance(clock, dt.datetime):
        return clock.date()
    if isinstance(clock, dt.date):
        return clock
    return dt.date.today()


def one_year_after(day: dt.date) -> dt.date:
    """The same day one year later; 29 February gives 28 February (the earlier day, to be safe)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return dt.date(day.year + 1, 2, 28)


def days_until(day: dt.date, today: dt.date) -> int:
    """Days from today to ``day``: negative when it has passed."""
    return (day - today).days


def _languages(locale: str) -> list[str]:
    """The person's language first, then the other one: people mix them."""
    return ["en", "es"] if locale == "en" else ["es", "en"]


def _settings(locale: str, today: dt.date) -> dict[str, object]:
    return {
        "DATE_ORDER": "MDY" if locale == "en" else "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "RETURN_TIME_AS_PERIOD": True,
    }


@lru_cache(maxsize=8)
def _parser(locale: str, today: dt.date) -> DateDataParser:
    """Building a parser loads language data; reuse it for the same language and day.

    dateparser is imported here, not with the module: it takes a second to load, and the service
    loads it after its port is open (``warm_up``), so the first person's answer never waits."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=_languages(locale), settings=_settings(locale, today))


def _parse(text: str, locale: str, today: dt.date) -> tuple[dt.date, str] | None:
    """The date and its precision ("day", "month", "year") in ``text``, or ``None``.

    Only what our own patterns do not read reaches dateparser, and only the whole text: a search
    for dates inside a sentence can pick a fragment ("5, 2025") and misread it.
    """
    parser = _parser(locale, today)
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def warm_up(locales: list[str]) -> None:
    """Load dateparser's language data now (about 0.7 s the first time) so that the first
    person to use the calculator does not stall every other conversation on the event loop."""
    today = dt.date.today()
    for locale in locales:
        read_arrival("1 March 2025", locale, today)
        read_arrival("marzo 2025" if locale == "es" else "March 2025", locale, today)


def _full_year(digits: str, today: dt.date) -> int:
    """A two-digit year as the latest year not after this one: 25 → 2025, 98 → 1998."""
    if len(digits) == 4:
        return int(digits)
    year = 2000 + int(digits)
    return year if year <= today.year else year - 100


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric(text: str, today: dt.date) -> Arrival | Ambiguous | DateProblem | None:
    """A date written only with numbers, read without guessing; ``None`` when there is none.

    ``2025-03-05`` is year, month, day. ``05/03/2025`` is 5 March to most Spanish speakers and
    May 3 to most people in the US: both readings that are real days, not in the future, are kept,
    and two of them mean the person must choose. ``15/03/2025`` can only be 15 March.
    """
    iso = _YEAR_MONTH_DAY.search(text)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
        readings = [_day(year, month, day)]
    else:
        found = _DAY_MONTH_YEAR.search(text)
        if found is None:
            return None
        first, second, year_digits = found.groups()
        year = _full_year(year_digits, today)
        readings = [_day(year, int(second), int(first)), _day(year, int(first), int(second))]
    real = sorted({day for day in readings if day is not None})
    if not real:
        return "unreadable"
    past = [day for day in real if day <= today]
    if not past:
        return "future"
    if past[0].year < OLDEST_YEAR:
        return "too_old"
    if len(past) == 2:
        return Ambiguous(options=(past[0], past[1]))
    return Arrival(first=past[0], last=past[0])


def _checked(first: dt.date, last: dt.date, today: dt.date) -> Arrival | DateProblem:
    if first > today:
        return "future"
    if first.year < OLDEST_YEAR:
        return "too_old"
    return Arrival(first=first, last=min(last, today))


def _month_of(year: int, month: int, today: dt.date) -> Arrival | DateProblem:
    if not 1 <= month <= 12:
        return "unreadable"
    first = dt.date(year, month, 1)
    return _checked(first, first.replace(day=calendar.monthrange(year, month)[1]), today)


def _in_words(text: str, today: dt.date) -> Arrival | DateProblem | None:
    """A date with the month in words ("5 de marzo de 2025", "March 5, 2025", "marzo 2025").

    Read by our own patterns, not by a search for dates inside the sentence, which can take
    "March 5, 2025" for "5, 2025" (May) and so state a later deadline.
    """
    lowered = text.lower()
    numbers = _month_numbers()
    day_first, month_first, month_only = _word_patterns()
    for pattern in (day_first, month_first):
        found = pattern.search(lowered)
        if found is not None:
            year = _full_year(found["year"], today)
            day = _day(year, numbers[found["month"]], int(found["day"]))
            return "unreadable" if day is None else _checked(day, day, today)
    found = month_only.search(lowered)
    if found is not None:
        return _month_of(int(found["year"]), numbers[found["month"]], today)
    return None


def read_arrival(text: str, locale: str, today: dt.date) -> Arrival | Ambiguous | DateProblem:
    """Read the arrival date a person typed, or say kindly what is missing; never guess a day."""
    text = " ".join(text.split())
    if not text:
        return "unreadable"
    for reader in (_numeric, _in_words):
        found = reader(text, today)
        if found is not None:
            return found
    month_year = _MONTH_YEAR.search(text)
    if month_year is not None:
        return _month_of(int(month_year[2]), int(month_year[1]), today)
    parsed = _parse(text, locale, today)
    if parsed is None:
        return "unreadable"
    day, period = parsed
    if not _HAS_YEAR.search(text):
        return "no_year"
    if period == "year":
        return "no_month"
    if period == "month":
        return _month_of(day.year, day.month, today)
    return _checked(day, day, today)


def _days(count: int, t: Translator) -> str:
    return format_decimal(count, locale=t.locale)


def _month(day: dt.date, t: Translator) -> str:
    """The month and year in words, as the language writes them ("March 2025", "marzo de 2025")."""
    return str(format_skeleton("yMMMM", day, locale=t.locale))


def _status(deadline: dt.date, today: dt.date, t: Translator) -> str:
    left = days_until(deadline, today)
    if left > 1:
        return t.gettext(IN_DAYS).format(days=_days(left, t))
    if left == 1:
        return t.gettext(TOMORROW)
    if left == 0:
        return t.gettext(TODAY)
    if left == -1:
        return t.gettext(YESTERDAY)
    return t.gettext(AGO_DAYS).format(days=_days(-left, t))


def describe(arrival: Arrival, today: dt.date, t: Translator) -> list[Reply]:
    """The bubbles that answer one arrival date: the date understood, then one year later.

    For a month only, the one date stated is counted from the first day of the month: the
    earliest deadline it can be. A later one is never written.
    """
    deadline = one_year_after(arrival.first)
    if arrival.exact:
        understood = t.gettext(ARRIVAL_EXACT).format(arrival=t.format_date(arrival.first))
    else:
        understood = t.gettext(MONTH_ONLY).format(
            month=_month(arrival.first, t), arrival=t.format_date(arrival.first)
        )
    lines = [
        understood,
        t.gettext(DEADLINE_EXACT).format(deadline=t.format_date(deadline)),
        _status(deadline, today, t),
    ]
    replies = [Reply("\n".join(lines))]
    if not arrival.exact:
        replies.append(Reply(t.gettext(EARLIEST)))
        replies.append(Reply(t.gettext(ASK_EXACT)))
    first_left = days_until(deadline, today)
    last_left = days_until(one_year_after(arrival.last), today)
    if first_left < 0 <= last_left:
        replies.append(Reply(t.gettext(MAYBE_PASSED)))
    elif 0 <= first_left <= SOON_DAYS:
        replies.append(Reply(t.gettext(SOON)))
    return replies


def ask_which(ambiguous: Ambiguous, node_id: str, t: Translator) -> list[Reply]:
    """Two buttons with the month written out; pressing one sends the day back in ISO order."""
    buttons = tuple(
        Button(t.format_date(day), payload=f"a:{node_id}:{day.isoformat()}")
        for day in ambiguous.options
    )
    return [Reply(t.gettext(WHICH_DATE), buttons), Reply(t.gettext(WHICH_OR_WRITE))]


def _danger(ctx: ActionContext) -> bool:
    """Whether the text says the person is in danger: help comes before any date."""
    matcher = ctx.services.matcher
    if matcher is None or EMERGENCY not in ctx.flows.nodes:
        return False
    return matcher.match(ctx.text, ctx.translator.locale).danger


def _elsewhere(ctx: ActionContext) -> str | None:
    """A topic that text which is not a date asks for ("corte", "notario"); never the menus."""
    matcher = ctx.services.matcher
    if matcher is None:
        return None
    found = matcher.match(ctx.text, ctx.translator.locale).node
    if found is None or found in _NOT_A_TOPIC or found == ctx.node.id:
        return None
    return found if found in ctx.flows.nodes else None


@action("deadline_calculator")
def deadline_calculator(ctx: ActionContext) -> ActionResult:
    """Answer a typed arrival date with the one-year date; keep nothing about it."""
    if not ctx.text.strip():
        return ActionResult()  # the screen is being shown: nothing typed yet
    if _danger(ctx):
        return ActionResult(goto=EMERGENCY)
    today = today_from(ctx.services)
    arrival = read_arrival(ctx.text, ctx.translator.locale, today)
    if isinstance(arrival, Ambiguous):
        return ActionResult(replies=ask_which(arrival, ctx.node.id, ctx.translator))
    if isinstance(arrival, Arrival):
        following = ctx.node.input.next if ctx.node.input is not None else None
        return ActionResult(replies=describe(arrival, today, ctx.translator), goto=following)
    if arrival == "unreadable":
        elsewhere = _elsewhere(ctx)
        if elsewhere is not None:
            return ActionResult(goto=elsewhere)
    return ActionResult(replies=[Reply(ctx.translator.gettext(PROBLEMS[arrival]))])
