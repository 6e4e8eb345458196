"""The calculator never states a deadline later than the true one (property-based, hypothesis).

A true arrival date is drawn, then written the way people write it: day/month/year and
month/day/year with slashes, dashes, dots or spaces, with or without leading zeros, four- or
two-digit years, ISO order, the month in words in Spanish or English (full or short), inside a
sentence, or only the month and year. The text goes through the real engine, flows, catalogs and
free-text matcher in the person's language (Spanish or English, and people type either).

Every date the answer states (Babel's long format in the person's language) must be on or before
the true deadline. When the bot asks "which day?", the true day must be one of the two buttons,
and pressing it must state exactly the true deadline. A month alone must state the deadline
counted from the month's first day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.dates import format_date, get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.actions  # noqa: F401 - registers deadline_calculator
from bot.actions.deadline import ASK_EXACT, PROBLEMS, WHICH_OR_WRITE, one_year_after
from bot.content import build_services
from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply, Services
from bot.engine.ui import DISCLAIMER_REVIEWED
from bot.i18n.catalogs import BabelLocalizer, load_localizer

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)
LANGS = ("es", "en")


@dataclass(frozen=True)
class Helpline:
    flows: Flows
    localizer: BabelLocalizer
    services: Services


@cache
def helpline() -> Helpline:
    """The real content and services, built once (hypothesis calls the test many times)."""
    flows = load_flows(REPO / "flows").flows
    localizer = load_localizer(REPO / "locales", list(LANGS))
    real = build_services(flows, list(LANGS))
    services = Services(matcher=real.matcher, directory=real.directory, extras={"today": TODAY})
    return Helpline(flows, localizer, services)


@cache
def stated_dates_pattern(lang: str) -> re.Pattern[str]:
    """Babel's long date format in ``lang`` ("March 5, 2025", "5 de marzo de 2025")."""
    months = "|".join(re.escape(name) for name in get_month_names("wide", locale=lang).values())
    if lang == "en":
        return re.compile(rf"\b(?P<month>{months}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}})\b")
    return re.compile(rf"\b(?P<day>\d{{1,2}}) de (?P<month>{months}) de (?P<year>\d{{4}})\b")


def stated_dates(text: str, lang: str) -> list[dt.date]:
    """Every date an answer writes out."""
    numbers = {name: number for number, name in get_month_names("wide", locale=lang).items()}
    return [
        dt.date(int(m["year"]), numbers[m["month"]], int(m["day"]))
        for m in stated_dates_pattern(lang).finditer(text)
    ]


# -- how people write a date ------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    text: str
    month_only: bool = False
    may_ask_again: bool = False
    """Words with a two-digit year ("5 marzo 25"): asking for the year again is acceptable."""


def _month_name(day: dt.date, lang: str, width: str) -> str:
    return str(get_month_names(width, locale=lang)[day.month]).rstrip(".")


@st.composite
def written_dates(draw: st.DrawFn, day: dt.date) -> Written:
    """One way a person may write ``day``."""
    pad = draw(st.booleans())
    d = f"{day.day:02d}" if pad else str(day.day)
    m = f"{day.month:02d}" if pad else str(day.month)
    two_digit_year = draw(st.booleans())
    y = f"{day.year % 100:02d}" if two_digit_year else str(day.year)
    sep = draw(st.sampled_from(["/", "-", ".", " / ", " "]))
    text_lang = draw(st.sampled_from(LANGS))
    style = draw(
        st.sampled_from(
            ["dmy", "mdy", "iso", "words_dmy", "words_mdy", "words_es", "month", "month_num"]
        )
    )
    written: Written
    if style == "dmy":
        written = Written(f"{d}{sep}{m}{sep}{y}")
    elif style == "mdy":
        written = Written(f"{m}{sep}{d}{sep}{y}")
    elif style == "iso":
        written = Written(f"{day.year}-{day.month:02d}-{day.day:02d}")
    elif style == "words_dmy":
        name = _month_name(day, text_lang, draw(st.sampled_from(["wide", "abbreviated"])))
        written = Written(f"{day.day} {name} {y}", may_ask_again=two_digit_year)
    elif style == "words_mdy":
        name = _month_name(day, "en", draw(st.sampled_from(["wide", "abbreviated"])))
        comma = draw(st.sampled_from([",", ""]))
        written = Written(f"{name} {day.day}{comma} {y}", may_ask_again=two_digit_year)
    elif style == "words_es":
        name = _month_name(day, "es", "wide")
        link = draw(st.sampled_from(["de", "del"]))
        written = Written(f"{day.day} de {name} {link} {y}", may_ask_again=two_digit_year)
    elif style == "month":
        name = _month_name(day, text_lang, "wide")
        link = draw(st.sampled_from(["", "de ", "del "])) if text_lang == "es" else ""
        written = Written(f"{name} {link}{day.year}", month_only=True)
    else:
        written = Written(f"{day.month}/{day.year}", month_only=True)
    if draw(st.booleans()):
        before = "llegué el " if text_lang == "es" else "I arrived on "
        if written.month_only:
            before = "llegué en " if text_lang == "es" else "I arrived in "
        written = Written(before + written.text, written.month_only, written.may_ask_again)
    if draw(st.booleans()):
        written = Written(written.text.upper(), written.month_only, written.may_ask_again)
    return written


@st.composite
def cases(draw: st.DrawFn) -> tuple[dt.date, Written, str]:
    day = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY))
    return day, draw(written_dates(day)), draw(st.sampled_from(LANGS))


# -- the property -------------------------------------------------------------------------------


def _send(state: ConversationState, event: Event) -> tuple[ConversationState, list[Reply]]:
    h = helpline()
    new_state, replies = advance(h.flows, state, event, h.localizer, h.services)
    assert new_state is not None
    return new_state, replies


def _text(replies: list[Reply], lang: str) -> str:
    """The answer's bubbles, without those whose dates are not deadlines: the "information
    reviewed on <date>" footer, and the example date ("for example 15 March 2025")."""
    t = helpline().localizer.translator(lang)
    footer = t.gettext(DISCLAIMER_REVIEWED).split("{")[0]
    examples = {t.gettext(text) for text in (ASK_EXACT, WHICH_OR_WRITE, *PROBLEMS.values())}
    return "\n".join(
        reply.text
        for reply in replies
        if not reply.text.startswith(footer) and reply.text not in examples
    )


@settings(max_examples=400, deadline=None)
@given(cases())
def test_no_stated_deadline_is_ever_after_the_true_one(case: tuple[dt.date, Written, str]) -> None:
    true_day, written, lang = case
    true_deadline = one_year_after(true_day)
    state, _ = _send(ConversationState(locale=lang), Event.pressed("g:deadline"))
    state, replies = _send(state, Event.typed(written.text))
    answer = _text(replies, lang)
    assert all(day <= true_deadline for day in stated_dates(answer, lang)), (written, answer)

    choices = [b for b in replies[0].buttons if (b.payload or "").startswith("a:deadline:")]
    if choices:
        labels = [b.label for b in choices]
        true_label = format_date(true_day, format="long", locale=lang)
        assert true_label in labels, (written, labels)
        chosen = next(b for b in choices if b.label == true_label)
        assert chosen.payload is not None
        state, replies = _send(state, Event.pressed(chosen.payload))
        answer = _text(replies, lang)
        assert all(day <= true_deadline for day in stated_dates(answer, lang)), (written, answer)

    translator = helpline().localizer.translator(lang)
    if state.node == "deadline":
        assert written.may_ask_again, f"{written.text!r} was not understood: {answer!r}"
        problems = {translator.gettext(p) for p in PROBLEMS.values()}
        assert any(reply.text in problems for reply in replies), replies
        return
    assert state.node == "deadline_result"
    stated = stated_dates(answer, lang)
    expected = one_year_after(true_day.replace(day=1)) if written.month_only else true_deadline
    assert expected in stated, (written, answer)
    assert max(stated) == expected, (written, answer)


def test_the_date_finder_reads_what_babel_writes() -> None:
    """The property is only as good as its reading of the answers: check it on Babel's output."""
    for lang in LANGS:
        for day in (dt.date(2025, 3, 5), dt.date(2026, 12, 31), dt.date(1999, 9, 1)):
            assert stated_dates(f"x {format_date(day, format='long', locale=lang)}.", lang) == [day]
