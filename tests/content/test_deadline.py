"""The one-year deadline calculator, as a person uses it: open the screen, type a date, read.

Conversations run through the real engine on the real ``flows/`` and ``locales/`` with the real
free-text matcher; only "today" is fixed (``Services.extras["today"]``) so the day counts are exact.
Dates come in Spanish and English, exact and month-only, before, near and after the deadline, and
nonsense. Each answer must show the date as Babel writes it in that language, and the state after
the answer must hold nothing about the date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.dates import format_date

import bot.actions  # noqa: F401 - registers deadline_calculator
from bot.actions.deadline import (
    AGO_DAYS,
    ASK_EXACT,
    EARLIEST,
    IN_DAYS,
    MAYBE_PASSED,
    PROBLEMS,
    SOON,
    TODAY,
    TOMORROW,
    WHICH_DATE,
    YESTERDAY,
    Ambiguous,
    one_year_after,
    read_arrival,
)
from bot.content import build_services
from bot.engine.model import Flows
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply, Services
from bot.i18n.catalogs import BabelLocalizer

REPO = Path(__file__).resolve().parents[2]
TODAY_FIXED = dt.date(2026, 11, 23)
LANGS = ("es", "en")


@pytest.fixture(scope="module")
def services(flows: Flows) -> Services:
    """The helpline's real services, with the clock fixed."""
    real = build_services(flows, list(LANGS))
    return Services(matcher=real.matcher, directory=real.directory, extras={"today": TODAY_FIXED})


class Calculator:
    """A conversation standing on the calculator screen."""

    def __init__(
        self, flows: Flows, localizer: BabelLocalizer, services: Services, lang: str
    ) -> None:
        self.flows, self.localizer, self.services, self.lang = flows, localizer, services, lang
        self.state: ConversationState = ConversationState(locale=lang)
        self.replies = self._send(Event.pressed("g:deadline"))

    def _send(self, event: Event) -> list[Reply]:
        state, replies = advance(self.flows, self.state, event, self.localizer, self.services)
        assert state is not None
        self.state = state
        return replies

    def type(self, text: str) -> str:
        """Type ``text`` and return every bubble of the answer as one text."""
        self.replies = self._send(Event.typed(text))
        return "\n".join(reply.text for reply in self.replies)

    def _(self, message: str) -> str:
        return self.localizer.translator(self.lang).gettext(message)

    def date(self, day: dt.date) -> str:
        """The date as Babel writes it for this language (what the person must read)."""
        return format_date(day, format="long", locale=self.lang)


@pytest.fixture(params=LANGS)
def calc(
    request: pytest.FixtureRequest, flows: Flows, localizer: BabelLocalizer, services: Services
) -> Calculator:
    """The calculator in each language."""
    return Calculator(flows, localizer, services, str(request.param))


def _es(flows: Flows, localizer: BabelLocalizer, services: Services) -> Calculator:
    return Calculator(flows, localizer, services, "es")


def _en(flows: Flows, localizer: BabelLocalizer, services: Services) -> Calculator:
    return Calculator(flows, localizer, services, "en")


def test_the_screen_asks_for_the_date_and_says_it_is_not_kept(calc: Calculator) -> None:
    shown = "\n".join(r.text for r in calc.replies)
    assert calc.state.node == "deadline"
    assert calc._("We do not keep this date. We use it only to answer you.") in shown
    # The example writes the month in words, so it cannot be read as day-first or month-first.
    assert ("15 March 2025" if calc.lang == "en" else "15 de marzo de 2025") in shown
    assert "15/03/2025" not in shown


def test_a_date_before_the_deadline_counts_the_days_left(calc: Calculator) -> None:
    answer = calc.type("15/03/2026")
    assert calc.date(dt.date(2026, 3, 15)) in answer
    assert calc.date(dt.date(2027, 3, 15)) in answer
    assert calc._(IN_DAYS).format(days="112") in answer
    assert calc._(SOON) not in answer
    assert calc.state.node == "deadline_result"
    assert (
        calc._(
            "Withholding of removal and the Convention Against Torture have no one-year deadline."
        )
        in answer
    )


@pytest.mark.parametrize(
    ("typed", "status", "days"),
    [
        ("2025-12-01", IN_DAYS, "8"),
        ("2025-11-24", TOMORROW, None),
        ("2025-11-23", TODAY, None),
    ],
)
def test_a_date_near_the_deadline_says_there_is_very_little_time(
    calc: Calculator, typed: str, status: str, days: str | None
) -> None:
    answer = calc.type(typed)
    expected = calc._(status).format(days=days) if days else calc._(status)
    assert expected in answer
    assert calc._(SOON) in answer


@pytest.mark.parametrize(
    ("typed", "status", "days"),
    [("2025-11-22", YESTERDAY, None), ("15/03/2025", AGO_DAYS, "253")],
)
def test_a_date_after_the_deadline_says_it_has_passed(
    calc: Calculator, typed: str, status: str, days: str | None
) -> None:
    answer = calc.type(typed)
    expected = calc._(status).format(days=days) if days else calc._(status)
    assert expected in answer
    assert calc._(SOON) not in answer
    assert (
        calc._(
            "There are exceptions to the deadline, for example when circumstances changed. "
            "A lawyer can tell you whether one may apply."
        )
        in answer
    )


@pytest.mark.parametrize("typed", ["marzo 2025", "March 2025", "3/2025", "marzo del 2025"])
def test_month_only_counts_from_the_first_day_says_so_and_says_not_to_wait(
    calc: Calculator, typed: str
) -> None:
    answer = calc.type(typed)
    assert calc.date(dt.date(2025, 3, 1)) in answer, "the day counted from is repeated"
    assert calc.date(dt.date(2026, 3, 1)) in answer
    assert calc._(AGO_DAYS).format(days="267") in answer
    # The last day of the month would give a later deadline: it is never stated.
    assert calc.date(dt.date(2026, 3, 31)) not in answer
    assert calc._(AGO_DAYS).format(days="237") not in answer
    assert calc._(EARLIEST) in answer
    assert calc._(ASK_EXACT) in answer
    assert ("marzo de 2025" if calc.lang == "es" else "March 2025") in answer


def test_a_month_whose_range_straddles_today_says_the_deadline_may_have_passed(
    calc: Calculator,
) -> None:
    answer = calc.type("11/2025")
    assert calc.date(dt.date(2026, 11, 1)) in answer
    assert calc.date(dt.date(2026, 11, 30)) not in answer
    assert calc._(MAYBE_PASSED) in answer


def test_the_current_month_counts_from_its_first_day(calc: Calculator) -> None:
    answer = calc.type("11/2026")
    assert calc.date(dt.date(2026, 11, 1)) in answer
    assert calc.date(dt.date(2027, 11, 1)) in answer
    assert calc.date(dt.date(2027, 11, 23)) not in answer


@pytest.mark.parametrize(
    "typed",
    [
        "15 de marzo de 2025",
        "15 marzo 2025",
        "llegué el 15 de marzo del 2025",
        "15/03/2025",
        "15-03-2025",
        "15.03.25",
    ],
)
def test_spanish_date_text(
    flows: Flows, localizer: BabelLocalizer, services: Services, typed: str
) -> None:
    calc = _es(flows, localizer, services)
    answer = calc.type(typed)
    assert "15 de marzo de 2025" in answer
    assert "15 de marzo de 2026" in answer
    assert "Esa fecha ya pasó: fue hace 253 días." in answer


@pytest.mark.parametrize(
    "typed",
    ["March 15 2025", "March 15, 2025", "I arrived on March 15 2025", "3/15/2025", "15/03/2025"],
)
def test_english_date_text(
    flows: Flows, localizer: BabelLocalizer, services: Services, typed: str
) -> None:
    calc = _en(flows, localizer, services)
    answer = calc.type(typed)
    assert "March 15, 2025" in answer
    assert "March 15, 2026" in answer
    assert "That date has passed: it was 253 days ago." in answer


def test_a_person_may_type_in_the_other_language(
    flows: Flows, localizer: BabelLocalizer, services: Services
) -> None:
    answer = _en(flows, localizer, services).type("15 de marzo de 2025")
    assert "March 15, 2026" in answer
    answer = _es(flows, localizer, services).type("March 15 2025")
    assert "15 de marzo de 2026" in answer


@pytest.mark.parametrize("typed", ["3/4/2025", "03-04-2025", "3.4.25", "llegué el 3/4/2025"])
def test_a_date_that_reads_two_ways_is_asked_about_with_the_month_written_out(
    calc: Calculator, typed: str
) -> None:
    answer = calc.type(typed)
    assert calc.state.node == "deadline", "nothing is counted before the person chooses"
    assert answer.startswith(calc._(WHICH_DATE))
    labels = [button.label for button in calc.replies[0].buttons]
    assert labels == [calc.date(dt.date(2025, 3, 4)), calc.date(dt.date(2025, 4, 3))]
    assert calc._(IN_DAYS).split("{")[0] not in answer
    assert calc.replies[-1].buttons, "the person keeps the Back and Main menu buttons"


@pytest.mark.parametrize(("choice", "day"), [(0, dt.date(2025, 3, 4)), (1, dt.date(2025, 4, 3))])
def test_the_chosen_reading_is_counted_and_repeated(
    calc: Calculator, choice: int, day: dt.date
) -> None:
    calc.type("3/4/2025")
    button = calc.replies[0].buttons[choice]
    assert button.payload is not None
    calc.replies = calc._send(Event.pressed(button.payload))
    answer = "\n".join(reply.text for reply in calc.replies)
    assert calc.date(day) in answer
    assert calc.date(one_year_after(day)) in answer
    assert calc.state.node == "deadline_result"
    assert calc.state.answers == {}


def test_the_same_number_twice_is_not_ambiguous(calc: Calculator) -> None:
    answer = calc.type("4/4/2025")
    assert calc.date(dt.date(2026, 4, 4)) in answer
    assert calc.state.node == "deadline_result"


def test_a_reading_in_the_future_is_not_offered() -> None:
    # 05/12/2026 on 2026-12-01: 5 December has not come yet, so only 12 May is possible.
    arrival = read_arrival("05/12/2026", "es", dt.date(2026, 12, 1))
    assert not isinstance(arrival, (str, Ambiguous))
    assert arrival.first == dt.date(2026, 5, 12)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("hola", "unreadable"),
        ("asdf qwerty", "unreadable"),
        ("marzo", "no_year"),
        ("2025", "no_month"),
        ("1/1/2030", "future"),
        ("15/03/1900", "too_old"),
    ],
)
def test_nonsense_or_incomplete_dates_get_a_kind_answer_and_stay(
    calc: Calculator, typed: str, problem: str
) -> None:
    answer = calc.type(typed)
    assert answer.startswith(calc._(PROBLEMS[problem]))  # type: ignore[index]
    assert calc.state.node == "deadline"
    assert calc.replies[-1].buttons, "the person keeps the Back and Main menu buttons"


def test_danger_words_at_the_calculator_go_to_the_emergency_screen(
    flows: Flows, localizer: BabelLocalizer, services: Services
) -> None:
    calc = _es(flows, localizer, services)
    answer = calc.type("me quieren matar")
    assert calc.state.node == "emergency"
    assert "911" in answer


def test_another_topic_typed_at_the_calculator_goes_there(
    flows: Flows, localizer: BabelLocalizer, services: Services
) -> None:
    calc = _es(flows, localizer, services)
    calc.type("notario")
    assert calc.state.node not in ("deadline", "main")


def test_nothing_about_the_date_is_kept(calc: Calculator) -> None:
    calc.type("15/03/2025")
    calc.type("marzo 2025")
    assert calc.state.answers == {}
    dumped = calc.state.model_dump_json()
    for trace in ("2025", "2026", "15/03", "marzo", "March"):
        assert trace not in dumped


def test_another_date_can_be_typed_on_the_result_screen(calc: Calculator) -> None:
    calc.type("15/03/2025")
    answer = calc.type("2025-12-01")
    assert calc.date(dt.date(2026, 12, 1)) in answer
    assert calc.state.node == "deadline_result"


def test_read_arrival_and_one_year_after_are_pure() -> None:
    today = dt.date(2026, 11, 23)
    arrival = read_arrival("15/03/2025", "es", today)
    assert not isinstance(arrival, str)
    assert arrival.exact and arrival.first == dt.date(2025, 3, 15)
    assert one_year_after(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert read_arrival("15/03/2025", "es", dt.date(2025, 3, 1)) == "future"
