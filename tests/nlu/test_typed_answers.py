"""Typed answers to «¿Está en peligro ahora mismo?» act like its buttons, danger first.

On WhatsApp and Telegram most people type "si" or "no, solo tengo miedo" instead of tapping.
The buttons' ``typed:`` answers (``flows/main.yaml``, see ``bot.engine.typed``) press them; the
words around the answer are still checked for danger.
"""

from __future__ import annotations

import pytest

from bot.content import Content
from bot.engine.model import Button, Flows, Node
from bot.engine.runner import advance
from bot.engine.typed import typed_answer
from bot.engine.types import ConversationState, Event
from bot.nlu.check import typed_problems

QUESTIONS = ("danger_check", "welcome")
"""Both screens end with the danger question and its two buttons."""

YES = [
    ("es", "sí"),
    ("es", "si"),
    ("es", "Si"),
    ("es", "SI!!"),
    ("es", "siii"),
    ("es", "sí estoy en peligro"),
    ("es", "si estoi en peligro"),
    ("es", "si, ayudenme por favor"),
    ("es", "claro que si"),
    ("es", "no se"),
    ("es", "no sé, tengo miedo"),
    ("en", "yes"),
    ("en", "Yes!"),
    ("en", "yeah"),
    ("en", "yes I am in danger"),
    ("en", "yes please help"),
    ("en", "not sure"),
]

NO = [
    ("es", "no"),
    ("es", "No."),
    ("es", "nooo"),
    ("es", "nop"),
    ("es", "no, solo tengo miedo"),
    ("es", "no solo tengo mucho miedo"),
    ("es", "no estoy en peligro"),
    ("es", "no estoi en peligro"),
    ("es", "no gracias"),
    ("es", "estoy bien"),
    ("en", "no"),
    ("en", "nope"),
    ("en", "no, im just scared"),
    ("en", "im not in danger"),
    ("en", "i am safe"),
    ("en", "no thanks"),
]

DANGER_AFTER_NO = [
    ("es", "no me dejan salir"),
    ("es", "no, pero me estan siguiendo"),
    ("es", "nel, ahi afuera hay unos armados"),
    ("es", "no quiero vivir"),
    ("es", "no, me quieren matar"),
    ("en", "no they will kill me"),
    ("en", "no i want to die"),
]


def _answer(content: Content, node: str, locale: str, text: str) -> str | None:
    state = ConversationState(node=node, locale=locale)
    new, replies = advance(
        content.flows, state, Event.typed(text), content.localizer, content.services
    )
    assert replies
    return new.node if new is not None else None


@pytest.mark.parametrize("node", QUESTIONS)
@pytest.mark.parametrize(("locale", "text"), YES)
def test_a_typed_yes_shows_the_emergency_screen(
    content: Content, node: str, locale: str, text: str
) -> None:
    assert _answer(content, node, locale, text) == "emergency"


@pytest.mark.parametrize("node", QUESTIONS)
@pytest.mark.parametrize(("locale", "text"), NO)
def test_a_typed_no_opens_the_menu(content: Content, node: str, locale: str, text: str) -> None:
    assert _answer(content, node, locale, text) == "main"


@pytest.mark.parametrize(("locale", "text"), DANGER_AFTER_NO)
def test_danger_around_a_no_still_comes_first(content: Content, locale: str, text: str) -> None:
    assert _answer(content, "danger_check", locale, text) == "emergency"


def test_a_question_after_the_no_opens_its_screen_or_offers_it(content: Content) -> None:
    """ "No, but I want to know about asylum": the asylum screen, or buttons with it."""
    matcher = content.services.matcher
    assert matcher is not None
    topics = matcher.topics  # type: ignore[attr-defined]
    for locale, text in (
        ("es", "no, pero quiero saber del asilo"),
        ("en", "no, but how do i apply for asylum"),
    ):
        state = ConversationState(node="danger_check", locale=locale)
        new, replies = advance(
            content.flows, state, Event.typed(text), content.localizer, content.services
        )
        assert new is not None
        offered = [b.payload.removeprefix("g:") for r in replies for b in r.buttons]
        shown = [new.node] if new.node != "danger_check" else offered
        assert any(topics.get(n) == "asylum" for n in shown), (text, shown)


def test_a_yes_typed_in_the_other_language_counts(content: Content) -> None:
    assert _answer(content, "danger_check", "es", "yes") == "emergency"
    assert _answer(content, "danger_check", "en", "no, solo tengo miedo") == "main"


def test_typed_answers_elsewhere_change_nothing(content: Content) -> None:
    """A screen without typed answers: "no" is not pressed as anything."""
    assert _answer(content, "asylum", "es", "no") == "asylum"


def _buttons() -> list[Button]:
    return [
        Button(label="y", goto="emergency", typed={"es": ["si", "no se"]}),
        Button(label="n", goto="main", typed={"es": ["no"], "en": ["no"]}),
    ]


def test_the_longest_answer_wins_and_a_tie_presses_nothing() -> None:
    yes, no = _buttons()
    found = typed_answer([yes, no], "no sé qué hacer")
    assert found is not None and found.button is yes and found.rest == ("que", "hacer")
    found = typed_answer([yes, no], "No, gracias")
    assert found is not None and found.button is no and found.rest == ("gracias",)
    assert typed_answer([yes, no], "quizás") is None
    both = Button(label="x", goto="help", typed={"es": ["si"]})
    assert typed_answer([yes, both], "si") is None


def test_the_validator_warns_about_an_answer_on_two_buttons() -> None:
    yes, no = _buttons()
    clash = Button(label="x", goto="help", typed={"es": ["Sí"], "xx-y": ["a"]})
    node = Node(id="q", title="q", buttons=[yes, no, clash])
    messages = [p.message for p in typed_problems(Flows(nodes={"q": node}))]
    assert any("on two buttons" in m for m in messages)
    assert any("not a language code" in m for m in messages)


def test_the_real_content_has_no_typed_answer_warnings(content: Content) -> None:
    assert typed_problems(content.flows) == []
