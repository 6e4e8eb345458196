"""The screener "Which protections might I ask a lawyer about?", walked as a person walks it.

Each path presses the real buttons (found by their translated label) through the real engine, in
Spanish and in English, and checks which options the result must show and must not show. The
result must always say it is not a decision about the case, never say that someone qualifies, and
offer legal help. Answers live only in the conversation state and are erased when starting again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

import bot.actions  # noqa: F401 - registers forget_answers
from bot.engine.model import Flows
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply
from bot.i18n.catalogs import BabelLocalizer

REPO = Path(__file__).resolve().parents[2]
LANGS = ("es", "en")

# The result bubbles, named by how their English text starts (flows/screener.yaml, screener_result).
ASYLUM = "🔹 Asylum."
WITHHOLDING = "🔹 Withholding of removal."
CAT = "🔹 Convention Against Torture (CAT)."
CAT_LOOK_AWAY = "Since 2025, it is not enough for CAT that the government could not"
CAT_NO_OFFICIALS = "You said police or officials did not take part."
CLOSURE = "🔹 Administrative closure. You have a court case. A judge can pause a case with no end date, until one side asks to put it back on the calendar. It is a pause, not a win, and the case"
CLOSURE_DETAINED = "🔹 Administrative closure. You have a court case. A judge can pause a case with no end date, until one side asks to put it back on the calendar. It is a pause, not a win. Since 2025"
HEARING = "Never miss a hearing."
CHECK_CASE = "To check whether you have a court case"
NO_COURT = "Without a court case, asylum is asked for at USCIS"
BORDER = "The rules for asylum at the southern border"
CREDIBLE_FEAR = "At the border, people in expedited removal"
UNDER_YEAR = "You arrived less than a year ago."
OVER_YEAR = "You arrived more than a year ago."
UNSURE_YEAR = "You are not sure when you arrived."
POLITICAL = "You said you refused them"
FAMILY = "You said they went after your family."
PROTECTED = "You said it was because of your religion"
UNKNOWN = "You are not sure why, or it was another reason."
MONEY = "You said they only wanted money."
PRIVATE_ACTORS = "For asylum, harm by a cartel, a gang or a person"
VIOLENCE_AT_HOME = "If a partner or a family member hurts you"
DETAINED = "You are detained."
NOT_A_DECISION = "Here is what you could ask a lawyer about"
ALL = [
    ASYLUM,
    WITHHOLDING,
    CAT,
    CAT_LOOK_AWAY,
    CAT_NO_OFFICIALS,
    CLOSURE,
    CLOSURE_DETAINED,
    HEARING,
    CHECK_CASE,
    NO_COURT,
    BORDER,
    CREDIBLE_FEAR,
    UNDER_YEAR,
    OVER_YEAR,
    UNSURE_YEAR,
    POLITICAL,
    FAMILY,
    PROTECTED,
    UNKNOWN,
    MONEY,
    PRIVATE_ACTORS,
    VIOLENCE_AT_HOME,
    DETAINED,
]


@dataclass(frozen=True)
class Path_:
    """One person's answers (English button labels, in order) and what the result must show."""

    name: str
    presses: tuple[str, ...]
    shows: frozenset[str]
    buttons: frozenset[str] = field(default_factory=frozenset)
    no_buttons: frozenset[str] = field(default_factory=frozenset)


PATHS = [
    Path_(
        "cartel-political-officials-court",
        (
            "In the United States",
            "Yes",
            "Less than a year ago",
            "A cartel or a gang",
            "Yes",
            "I refused or reported them",
            "No",
        ),
        frozenset(
            {
                ASYLUM,
                WITHHOLDING,
                POLITICAL,
                PRIVATE_ACTORS,
                CAT,
                CAT_LOOK_AWAY,
                CLOSURE,
                HEARING,
                UNDER_YEAR,
            }
        ),
        buttons=frozenset({"Administrative closure", "One-year deadline"}),
    ),
    Path_(
        "extortion-only-late-no-court",
        (
            "In the United States",
            "No",
            "More than a year ago",
            "A cartel or a gang",
            "No",
            "Only money or extortion",
            "No",
        ),
        frozenset({MONEY, PRIVATE_ACTORS, CAT_NO_OFFICIALS, OVER_YEAR, NO_COURT}),
        buttons=frozenset({"One-year deadline"}),
        no_buttons=frozenset({"Administrative closure"}),
    ),
    Path_(
        "border-police-family-detained",
        (
            "At the border or in Mexico",
            "Yes",
            "I have not entered yet",
            "Police or officials",
            "Because of my family",
            "Yes",
        ),
        frozenset(
            {
                BORDER,
                CREDIBLE_FEAR,
                ASYLUM,
                WITHHOLDING,
                FAMILY,
                CAT,
                CAT_LOOK_AWAY,
                CLOSURE_DETAINED,
                HEARING,
                DETAINED,
            }
        ),
        buttons=frozenset({"Administrative closure"}),
        no_buttons=frozenset({"One-year deadline"}),
    ),
    Path_(
        "partner-unsure-everything",
        (
            "In the United States",
            "I am not sure",
            "I am not sure",
            "Family member or partner",
            "I am not sure",
            "I do not know",
            "No",
        ),
        frozenset(
            {
                VIOLENCE_AT_HOME,
                PRIVATE_ACTORS,
                ASYLUM,
                WITHHOLDING,
                UNKNOWN,
                CAT,
                CAT_LOOK_AWAY,
                CHECK_CASE,
                UNSURE_YEAR,
            }
        ),
        buttons=frozenset({"One-year deadline"}),
        no_buttons=frozenset({"Administrative closure"}),
    ),
    Path_(
        "religion-no-officials",
        (
            "In the United States",
            "No",
            "Less than a year ago",
            "Someone else",
            "No",
            "Religion, race or nationality",
            "No",
        ),
        frozenset(
            {ASYLUM, WITHHOLDING, PROTECTED, PRIVATE_ACTORS, CAT_NO_OFFICIALS, UNDER_YEAR, NO_COURT}
        ),
    ),
]


class Person:
    """A conversation in one language that presses buttons by their label, as a person does."""

    def __init__(self, flows: Flows, localizer: BabelLocalizer, lang: str) -> None:
        self.flows, self.localizer, self.lang = flows, localizer, lang
        self.state: ConversationState = ConversationState(locale=lang)
        self.replies: list[Reply] = []

    def _(self, english: str) -> str:
        return self.localizer.translator(self.lang).gettext(english)

    def send(self, event: Event) -> list[Reply]:
        state, replies = advance(self.flows, self.state, event, self.localizer)
        assert state is not None
        self.state, self.replies = state, replies
        return replies

    def labels(self) -> list[str]:
        return [b.label for r in self.replies for b in r.buttons]

    def press(self, english_label: str) -> list[Reply]:
        wanted = self._(english_label)
        for reply in self.replies:
            for button in reply.buttons:
                if button.label == wanted and button.payload:
                    return self.send(Event.pressed(button.payload))
        raise AssertionError(f"no button {wanted!r} on {self.state.node}: {self.labels()}")

    def texts(self) -> list[str]:
        return [r.text for r in self.replies]


def _bubble(flows: Flows, start: str) -> str:
    """The one result bubble whose English text starts with ``start``."""
    found = [m.text for m in flows.nodes["screener_result"].messages if m.text.startswith(start)]
    assert len(found) == 1, f"{start!r} names {len(found)} bubbles"
    return found[0]


def _walk(flows: Flows, localizer: BabelLocalizer, lang: str, presses: tuple[str, ...]) -> Person:
    person = Person(flows, localizer, lang)
    person.send(Event.pressed("g:screener"))
    person.press("Start the questions")
    for label in presses:
        person.press(label)
    assert person.state.node == "screener_result"
    return person


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_result_shows_exactly_the_options_for_the_answers(
    flows: Flows, localizer: BabelLocalizer, lang: str, path: Path_
) -> None:
    person = _walk(flows, localizer, lang, path.presses)
    shown = person.texts()
    for start in ALL:
        bubble = person._(_bubble(flows, start))
        if start in path.shows:
            assert bubble in shown, f"{path.name}: must show {start!r}"
        else:
            assert bubble not in shown, f"{path.name}: must not show {start!r}"
    labels = person.labels()
    for label in path.buttons:
        assert person._(label) in labels
    for label in path.no_buttons:
        assert person._(label) not in labels


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_result_is_never_a_decision_and_offers_legal_help(
    flows: Flows, localizer: BabelLocalizer, lang: str, path: Path_
) -> None:
    person = _walk(flows, localizer, lang, path.presses)
    joined = "\n".join(person.texts())
    assert person.texts()[0] == person._(_bubble(flows, NOT_A_DECISION))
    not_a_decision = {
        "en": "This is not a decision about your case.",
        "es": "Esto no es una decisión sobre su caso.",
    }
    assert not_a_decision[lang] in joined
    assert person._("Find free legal help") in person.labels()
    assert person.labels()[0] == person._("Find free legal help")
    forbidden = {
        "en": ("you qualify", "you will get", "you will win"),
        "es": ("usted califica", "califica para", "va a ganar", "le van a dar"),
    }
    for phrase in forbidden[lang]:
        assert phrase not in joined.lower()


@pytest.mark.parametrize("lang", LANGS)
def test_spanish_result_is_really_spanish(
    flows: Flows, localizer: BabelLocalizer, lang: str
) -> None:
    person = _walk(flows, localizer, lang, PATHS[0].presses)
    joined = "\n".join(person.texts())
    if lang == "es":
        assert "Convención contra la Tortura" in joined
        assert "suspensión de remoción" in joined.lower()
        assert "suspensión de deportación" not in joined.lower()
    else:
        assert "Convention Against Torture" in joined


def test_answers_are_stored_as_codes_and_police_skips_the_officials_question(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    person = Person(flows, localizer, "es")
    person.send(Event.pressed("g:screener"))
    person.press("Start the questions")
    for label in ("In the United States", "Yes", "Less than a year ago"):
        person.press(label)
    person.press("Police or officials")
    assert person.state.node == "screener_why"
    person.press("Only money or extortion")
    person.press("No")
    assert person.state.answers == {
        "screener_where": "us",
        "screener_court": "yes",
        "screener_arrived": "under_year",
        "screener_who": "officials",
        "screener_officials": "yes",
        "screener_why": "money",
        "screener_detained": "no",
    }
    shown = person.texts()
    assert person._(_bubble(flows, CAT)) in shown
    assert person._(_bubble(flows, MONEY)) in shown
    assert person._(_bubble(flows, ASYLUM)) not in shown


def test_not_entered_yet_is_offered_only_at_the_border(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    person = Person(flows, localizer, "en")
    person.send(Event.pressed("g:screener"))
    person.press("Start the questions")
    person.press("In the United States")
    person.press("No")
    assert "I have not entered yet" not in person.labels()
    person.press("⬅ Back")
    person.press("⬅ Back")
    person.press("At the border or in Mexico")
    person.press("No")
    assert "I have not entered yet" in person.labels()


@pytest.mark.parametrize("lang", LANGS)
def test_starting_again_erases_the_answers(
    flows: Flows, localizer: BabelLocalizer, lang: str
) -> None:
    person = _walk(flows, localizer, lang, PATHS[2].presses)
    person.state.answers["legal_aid_state"] = "TX"  # another flow's answer must survive
    person.press("Start again")
    assert person.state.node == "screener"
    assert person.state.answers == {"legal_aid_state": "TX"}
    person.press("Start the questions")
    for label in PATHS[1].presses:
        person.press(label)
    shown = person.texts()
    assert person._(_bubble(flows, BORDER)) not in shown
    assert person._(_bubble(flows, DETAINED)) not in shown


def test_delete_erases_the_answers_with_the_conversation(
    flows: Flows, localizer: BabelLocalizer
) -> None:
    person = _walk(flows, localizer, "es", PATHS[0].presses)
    state, replies = advance(flows, person.state, Event.typed("/borrar"), localizer)
    assert state is None
    assert replies
