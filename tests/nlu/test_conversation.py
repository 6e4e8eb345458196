"""End to end through the real engine: typed text reaches the right screen.

Real flows, real catalogs, real services from ``bot.content.load_content``; nothing mocked.
"""

from __future__ import annotations

from bot.content import Content
from bot.engine import ui
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event, Reply


def _type(
    content: Content, state: ConversationState, text: str
) -> tuple[ConversationState, list[Reply]]:
    new, replies = advance(
        content.flows, state, Event.typed(text), content.localizer, content.services
    )
    assert new is not None
    return new, replies


def _payloads(replies: list[Reply]) -> list[str]:
    return [b.payload or "" for r in replies for b in r.buttons]


def _at_main(locale: str) -> ConversationState:
    return ConversationState(locale=locale, node="main")


def test_typed_topics_reach_their_screens(content: Content) -> None:
    cases = {
        ("es", "asilo?"): "asylum",
        ("es", "cierre administrativo"): "admin_closure",
        ("es", "que es la tortura convencion"): "cat",
        ("en", "my court date"): "court",
        ("es", "necesito un abogado gratis en el paso"): "legal_aid",
    }
    topics = content.services.matcher.topics  # type: ignore[union-attr]
    for (locale, text), topic in cases.items():
        state, replies = _type(content, _at_main(locale), text)
        assert state.node is not None and topics[state.node] == topic, text
        assert state.history == ["main"], "Back returns to where the person was"
        assert replies


def test_danger_goes_first_to_the_emergency_screen(content: Content) -> None:
    state, replies = _type(content, _at_main("es"), "me quieren matar los del cartel q hago")
    assert state.node == "emergency"
    assert "911" in " ".join(r.text for r in replies)


def test_a_close_call_says_did_you_mean(content: Content) -> None:
    matcher = content.services.matcher
    assert matcher is not None
    close = "asilo o tortura"
    assert matcher.match(close, "es").candidates, "the flows still make this a close call"
    state, replies = _type(content, _at_main("es"), close)
    t = content.localizer.translator("es")
    assert replies[-1].text == t.gettext(ui.DID_YOU_MEAN)
    goes = [p for p in _payloads(replies) if p.startswith("g:")]
    assert 2 <= len(goes) <= 3
    assert state.node == "main", "nothing is chosen until the person taps"
    chosen = goes[0].removeprefix("g:")
    state, _ = advance(
        content.flows, state, Event.pressed(goes[0]), content.localizer, content.services
    )
    assert state is not None and state.node == chosen


def test_nothing_understood_keeps_the_current_screen(content: Content) -> None:
    state, replies = _type(content, ConversationState(locale="es", node="court"), "vendo celular")
    t = content.localizer.translator("es")
    assert replies[0].text == t.gettext(ui.NOT_UNDERSTOOD)
    assert state.node == "court"


def test_greeting_and_help(content: Content) -> None:
    state, _ = _type(content, ConversationState(locale="es", node="court"), "hola")
    assert state.node == "main"
    state, _ = _type(content, ConversationState(locale="en", node="court"), "how does this work")
    assert state.node == "help"
    state, _ = _type(content, ConversationState(locale="en", node="court"), "help")
    assert state.node == "danger_check"


def test_spanish_typed_with_an_english_phone_is_offered_spanish(content: Content) -> None:
    state, replies = _type(content, _at_main("en"), "necesito un abogado gratis en el paso")
    offer = [b for r in replies for b in r.buttons if b.payload == "lang:es"]
    assert [b.label for b in offer] == ["🌐 Español"]
    assert state.locale == "en", "the switch waits for a tap"
    switched, replies = advance(
        content.flows, state, Event.pressed("lang:es"), content.localizer, content.services
    )
    assert switched is not None and switched.locale == "es" and switched.node == state.node


def test_no_offer_when_the_language_already_fits(content: Content) -> None:
    _, replies = _type(content, _at_main("es"), "necesito un abogado gratis en el paso")
    assert not [p for p in _payloads(replies) if p.startswith("lang:es")]
    _, replies = _type(content, _at_main("es"), "ok")
    assert not [p for p in _payloads(replies) if p.startswith("lang:") and p != "lang:"]


def test_danger_comes_first_even_where_the_screen_reads_typed_text(content: Content) -> None:
    """The deadline screen reads a date; a threat typed there still reaches emergency help."""
    at_deadline = ConversationState(locale="es", node="deadline")
    state, _ = _type(content, at_deadline, "me quieren matar")
    assert state.node == "emergency"
    reads = content.flows.nodes["deadline"].input
    assert reads is not None
    state, _ = _type(content, at_deadline, "15/03/2025")
    assert state.node == reads.next, "a date still goes to the calculator"


def test_danger_in_a_very_long_message(content: Content) -> None:
    story = "vivíamos en un rancho cerca de Juárez y trabajábamos la tierra. " * 40
    state, _ = _type(content, _at_main("es"), story + "Ahora me quieren matar.")
    assert state.node == "emergency"
    state, replies = _type(content, _at_main("es"), story)
    t = content.localizer.translator("es")
    assert replies[0].text == t.gettext(ui.TOO_LONG)


def test_a_bare_plea_asks_about_danger_and_a_second_one_shows_the_emergency(
    content: Content,
) -> None:
    """ "ayuda" alone asks «¿Está en peligro ahora mismo?»; typed again there, it is the
    emergency screen."""
    state, replies = _type(content, ConversationState(locale="es", node="court"), "ayuda")
    assert state.node == "danger_check"
    state, replies = _type(content, state, "ayuda")
    assert state.node == "emergency"
    assert "911" in replies[0].text
