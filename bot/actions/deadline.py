"""The one-year asylum deadline calculator: the built-in action ``deadline_calculator``.

A person types the date of their last arrival in the United States ("15/03/2025", "marzo 2025",
"March 15 2025", "3/2025"); the action answers with the date one year later, written the way
their language writes dates (Babel, through the Translator), and how many days are left. When only
the month is known it shows the earliest and the latest possible date, because the exact day
matters. Facts: ASY-7 (the deadline and its exceptions) and WOR-2 (no deadline for withholding).

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
from typing import Literal

from babel.numbers import format_decimal
from dateparser.date import DateDataParser
from dateparser.search import search_dates

from bot.engine.actions import ActionContext, ActionResult, action
from bot.engine.types import Reply, Services, Translator
from bot.engine.ui import N_

__all__ = [
    "Arrival",
    "DateProblem",
    "days_until",
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

# -- what the person reads (English msgids; extracted by pybabel with -k N_) --------------------
ARRIVAL_EXACT = N_("Your last arrival: {arrival}.")
DEADLINE_EXACT = N_("One year after that is {deadline}.")
MONTH_ONLY = N_(
    "You wrote only the month. The exact day matters, so I counted from the first "
    "and from the last day of that month."
)
MONTH_LINE = N_("If you arrived on {arrival}, one year later is {deadline}.")
ASK_EXACT = N_("If you know the exact date, write it, for example 15/03/2025.")
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
        "15/03/2025. If you only know the month, write the month and year, for example March 2025."
    ),
    "no_year": N_("Please write the year too, for example 15/03/2025 or March 2025."),
    "no_month": N_(
        "Please write the month too, for example March 2025. "
        "The exact day matters for the deadline."
    ),
    "future": N_(
        "That date is in the future. Please write the date you last arrived in the United States, "
        "for example 15/03/2025."
    ),
    "too_old": N_(
        "Please check the year. Write the date you last arrived, for example 15/03/2025."
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
    """Building a parser loads language data; reuse it for the same language and day."""
    return DateDataParser(languages=_languages(locale), settings=_settings(locale, today))


def _parse(text: str, locale: str, today: dt.date) -> tuple[dt.date, str] | None:
    """The date and its precision ("day", "month", "year") in ``text``, or ``None``."""
    parser = _parser(locale, today)
    data = parser.get_date_data(text)
    if data.date_obj is None:
        # A date inside a sentence: "llegué el 15 de marzo del 2025".
        found = search_dates(text, languages=_languages(locale), settings=_settings(locale, today))
        for fragment, _ in found or []:
            if _HAS_YEAR.search(fragment):
                data = parser.get_date_data(fragment)
                break
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def warm_up(locales: list[str]) -> None:
    """Load dateparser's language data now (about 0.7 s the first time) so that the first
    person to use the calculator does not stall every other conversation on the event loop."""
    today = dt.date.today()
    for locale in locales:
        read_arrival("1/3/2025", locale, today)
        read_arrival("marzo 2025" if locale == "es" else "March 2025", locale, today)


def read_arrival(text: str, locale: str, today: dt.date) -> Arrival | DateProblem:
    """Read the arrival date a person typed, or say kindly what is missing."""
    text = " ".join(text.split())
    if not text:
        return "unreadable"
    parsed = _parse(text, locale, today)
    if parsed is None:
        return "unreadable"
    day, period = parsed
    if not _HAS_YEAR.search(text):
        return "no_year"
    if period == "year":
        return "no_month"
    if period == "month":
        first = day.replace(day=1)
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    else:
        first = last = day
    if first > today:
        return "future"
    if first.year < OLDEST_YEAR:
        return "too_old"
    return Arrival(first=first, last=min(last, today))


def _days(count: int, t: Translator) -> str:
    return format_decimal(count, locale=t.locale)


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
    """The bubbles that answer one arrival date."""
    first_deadline = one_year_after(arrival.first)
    last_deadline = one_year_after(arrival.last)
    replies: list[Reply] = []
    if arrival.exact:
        lines = [
            t.gettext(ARRIVAL_EXACT).format(arrival=t.format_date(arrival.first)),
            t.gettext(DEADLINE_EXACT).format(deadline=t.format_date(first_deadline)),
            _status(first_deadline, today, t),
        ]
        replies.append(Reply("\n".join(lines)))
    else:
        replies.append(Reply(t.gettext(MONTH_ONLY)))
        lines = []
        for start, end in ((arrival.first, first_deadline), (arrival.last, last_deadline)):
            line = t.gettext(MONTH_LINE).format(
                arrival=t.format_date(start), deadline=t.format_date(end)
            )
            lines.append(f"{line} {_status(end, today, t)}")
        replies.append(Reply("\n\n".join(lines)))
        replies.append(Reply(t.gettext(ASK_EXACT)))
    first_left = days_until(first_deadline, today)
    last_left = days_until(last_deadline, today)
    if first_left < 0 <= last_left:
        replies.append(Reply(t.gettext(MAYBE_PASSED)))
    elif 0 <= first_left <= SOON_DAYS:
        replies.append(Reply(t.gettext(SOON)))
    return replies


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
    if _danger(ctx):
        return ActionResult(goto=EMERGENCY)
    today = today_from(ctx.services)
    arrival = read_arrival(ctx.text, ctx.translator.locale, today)
    if isinstance(arrival, Arrival):
        following = ctx.node.input.next if ctx.node.input is not None else None
        return ActionResult(replies=describe(arrival, today, ctx.translator), goto=following)
    if arrival == "unreadable":
        elsewhere = _elsewhere(ctx)
        if elsewhere is not None:
            return ActionResult(goto=elsewhere)
    return ActionResult(replies=[Reply(ctx.translator.gettext(PROBLEMS[arrival]))])
