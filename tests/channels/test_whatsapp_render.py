"""The shared rendering rules (``bot.channels.render``) and WhatsApp's message shapes: screens,
splitting, pages with a "more" row, short labels, links written out; and the webhook parser."""

from __future__ import annotations

import pytest

from bot.channels.render import fit_label, page_of, screens, split_tail, split_text
from bot.channels.whatsapp import parse_messages
from bot.channels.whatsapp_messages import render_answer
from bot.conversation import Answer
from bot.engine.types import Button, Reply
from tests.support.fake_graph import PHONE_NUMBER_ID, GraphCall
from tests.support.whatsapp import BSUID, WA_ID, limits_problems, payload, pressed


def calls(answer: Answer, page: int = 0) -> list[GraphCall]:
    return [
        GraphCall("", "", {"messaging_product": "whatsapp", **m}, 200)
        for m in render_answer(answer, lambda s: s, page)
    ]


def buttons(count: int) -> tuple[Button, ...]:
    return tuple(Button(f"Choice {i}", payload=f"b:n:{i}") for i in range(count))


def test_paragraphs_up_to_the_buttons_are_one_screen() -> None:
    replies = [Reply("One."), Reply("Two.", buttons(2)), Reply("Three.")]
    assert [(s.text, len(s.buttons)) for s in screens(replies)] == [
        ("One.\n\nTwo.", 2),
        ("Three.", 0),
    ]


@pytest.mark.parametrize(
    ("count", "kind"), [(1, "button"), (3, "button"), (4, "list"), (10, "list")]
)
def test_three_choices_are_buttons_and_more_a_list(count: int, kind: str) -> None:
    (call,) = calls(Answer([Reply("Pick one.", buttons(count))], "en"))
    assert call.kind == kind
    assert [i for i, _ in call.choices] == [f"b:n:{i}" for i in range(count)]
    assert not limits_problems(call)


def test_more_than_ten_choices_go_on_pages_with_a_more_row() -> None:
    answer = Answer([Reply("Pick one.", buttons(25))], "en")
    seen: list[str] = []
    page: int | None = 0
    while page is not None:
        (call,) = calls(answer, page)
        assert not limits_problems(call)
        ids = [i for i, _ in call.choices]
        page = int(ids[-1].removeprefix("more:")) if ids[-1].startswith("more:") else None
        seen += [i for i in ids if not i.startswith("more:")]
    assert seen == [f"b:n:{i}" for i in range(25)], "every choice on some page, once, in order"
    assert page_of(list(range(25)), 10, 7) == page_of(list(range(25)), 10, 0), "past the end"


def test_long_text_goes_first_and_the_buttons_ride_on_the_last_message() -> None:
    long = "\n".join(f"Line {i}: " + "words " * 15 for i in range(120))  # about 11,000
    sent = calls(Answer([Reply(long, buttons(2))], "en"))
    assert [c.kind for c in sent[:-1]] == ["text"] * (len(sent) - 1) and sent[-1].kind == "button"
    assert all(not limits_problems(c) for c in sent)
    words = "\n".join(c.text for c in sent).split()
    assert words == long.split(), "nothing lost, nothing repeated, in order"


def test_links_are_written_out_without_previews() -> None:
    link = Button(
        "EOIR list", url="https://www.justice.gov/eoir/list-pro-bono-legal-service-providers"
    )
    (call,) = calls(Answer([Reply("Free legal help:", (link, *buttons(1)))], "en"))
    assert call.kind == "button" and call.choices == [("b:n:0", "Choice 0")]
    assert "EOIR list: https://www.justice.gov/eoir/list-pro-bono-legal-service-providers" in (
        call.text
    )
    (plain,) = calls(Answer([Reply("See https://example.org")], "en"))
    assert plain.body["text"]["preview_url"] is False


def test_labels_use_the_short_form_on_buttons_and_show_whole_under_list_rows() -> None:
    long = Button("Convention Against Torture", payload="b:n:0", short="Torture (CAT)")
    (button,) = calls(Answer([Reply("Pick.", (long,))], "en"))
    assert button.choices == [("b:n:0", "Torture (CAT)")]
    (listed,) = calls(
        Answer(
            [Reply("Pick.", (Button("Convention Against Torture", "b:n:0"), *buttons(4)[1:]))], "en"
        )
    )
    row = listed.body["interactive"]["action"]["sections"][0]["rows"][0]
    assert row == {
        "id": "b:n:0",
        "title": "Convention Against…",
        "description": "Convention Against Torture",
    }
    assert fit_label("Buscar ayuda legal gratis", "Ayuda legal gratis", 20) == "Ayuda legal gratis"


def test_split_helpers_keep_every_character_under_the_limit() -> None:
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(100))
    pieces = split_text(text, 4096)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    emoji = "🙂" * 3000  # 6,000 UTF-16 code units
    from bot.channels.render import utf16_length

    assert all(utf16_length(p) <= 4096 for p in split_text(emoji, 4096, utf16_length))
    head, tail = split_tail("a" * 3000 + "\n\n" + "b" * 500, 1024, 4096)
    assert head == ["a" * 3000] and tail == "b" * 500


def test_parser_answers_messages_and_drops_the_rest() -> None:
    found = parse_messages(payload("batch_two_messages"), PHONE_NUMBER_ID)
    assert [m.conversation_id for m in found] == [WA_ID, "5215598765432"]
    assert parse_messages(payload("status_delivered"), PHONE_NUMBER_ID) == []
    assert parse_messages(payload("other_number"), PHONE_NUMBER_ID) == []
    (withheld,) = parse_messages(payload("text_username"), PHONE_NUMBER_ID)
    assert withheld.recipient == {"recipient": BSUID}
    assert withheld.conversation_id == f"user:{BSUID}"
    (more,) = parse_messages(pressed("more:2"), PHONE_NUMBER_ID)
    assert (more.event.payload, more.page) == ("nav:here", 2)
    (voice,) = parse_messages(payload("voice"), PHONE_NUMBER_ID)
    assert (voice.event.kind, voice.event.text) == ("unsupported", "audio")


def test_button_titles_never_repeat_even_when_two_labels_cut_alike() -> None:
    twins = (
        Button("Protection against torture in court", payload="b:n:0"),
        Button("Protection against torture at the border", payload="b:n:1"),
    )
    (call,) = calls(Answer([Reply("Pick.", twins)], "en"))
    titles = [t for _, t in call.choices]
    assert len(set(titles)) == 2 and all(len(t) <= 20 for t in titles), titles
