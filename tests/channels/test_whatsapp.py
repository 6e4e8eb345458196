"""End to end: WhatsApp webhook payloads (Meta's shapes, from files) posted to the live app,
answers read from the fake Graph API. One case table, in the manner of courier's channel tests:
what is posted, how it is signed, the status it gets, and what the person receives."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.settings import REPO_ROOT, Settings
from tests.support.fake_graph import ACCESS_TOKEN, PHONE_NUMBER_ID, FakeGraph, GraphCall
from tests.support.live import serve
from tests.support.whatsapp import (
    APP_SECRET,
    BSUID,
    PATH,
    VERIFY_TOKEN,
    WA_ID,
    fake_graph,  # noqa: F401 - fixture
    limits_problems,
    payload,
    post,
    pressed,
    say,
    sign,
    text,
    whatsapp_app,  # noqa: F401 - fixture
    whatsapp_settings,
)

Body = Callable[[], dict[str, Any] | bytes]


@dataclass(frozen=True)
class Case:
    """One webhook call and what must come of it."""

    label: str
    body: Body
    signature: str | None = "sign"
    """``"sign"`` signs the body with the app secret; ``None`` sends no header; else the header."""
    status: int = 200
    before: tuple[Body, ...] = ()
    """Messages the same person sent first (their answers are not checked)."""
    sends: int | None = None
    """Exactly this many messages to the person; ``None``: at least one."""
    to: str = WA_ID
    contains: str = ""
    """Text the person reads in the answer (any message)."""


SPANISH = (lambda: pressed("lang:es"),)
ODD_SHAPE = (
    b'{"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": '
    b'"messages", "value": {"metadata": {"phone_number_id": "106540352242922"}, "errors": "x", '
    b'"messages": [{"id": "wamid.1", "from": "5215512345678", "type": "text", "text": "x"}]}}]}]}'
)
CASES = [
    Case("signed text", lambda: payload("text"), contains="asilo"),
    Case(
        "wrong signature",
        lambda: payload("text"),
        signature=sign(b"other body"),
        status=403,
        sends=0,
    ),
    Case(
        "signature made with another secret",
        lambda: payload("text"),
        signature=sign(b"", "not-the-app-secret"),
        status=403,
        sends=0,
    ),
    Case("missing signature", lambda: payload("text"), signature=None, status=403, sends=0),
    Case(
        "signature without its sha256= prefix",
        lambda: payload("text"),
        signature="0" * 64,
        status=403,
        sends=0,
    ),
    Case("button reply", lambda: payload("button_reply"), contains="información general"),
    Case("list reply", lambda: payload("list_reply"), contains="general information"),
    Case("voice note", lambda: payload("voice"), before=SPANISH, contains="Solo puedo leer texto"),
    Case("image", lambda: payload("image"), before=SPANISH, contains="Solo puedo leer texto"),
    Case("sticker", lambda: payload("sticker"), before=SPANISH, contains="Solo puedo leer texto"),
    Case("location", lambda: payload("location"), before=SPANISH, contains="Solo puedo leer texto"),
    Case("reaction", lambda: payload("reaction"), before=SPANISH, contains="Solo puedo leer texto"),
    Case("status callback (delivered)", lambda: payload("status_delivered"), sends=0),
    Case("status callback (failed)", lambda: payload("status_failed"), sends=0),
    Case("message to another of the business's numbers", lambda: payload("other_number"), sends=0),
    Case(
        "phone number withheld: answered by business-scoped user id",
        lambda: payload("text_username"),
        to=BSUID,
        contains="Please choose your language",
    ),
    Case("signed body that is not JSON", lambda: b"{not json", status=400, sends=0),
    Case("signed JSON that is not a WhatsApp body", lambda: b'{"object": "page"}', sends=0),
    Case("signed body of an unexpected shape", lambda: ODD_SHAPE, sends=0),
    Case(
        "typed number presses that button",
        lambda: text("2"),  # 1 is the main menu's 🆘 button, 2 is Asylum
        before=(*SPANISH, lambda: text("/menu")),
        contains="El asilo es una protección",
    ),
    Case(
        "/borrar says how to delete the chat in WhatsApp",
        lambda: text("/borrar"),
        before=SPANISH,
        contains="borre este chat en WhatsApp",
    ),
    Case(
        "Borrar typed alone, without the slash, erases too (no slash commands on WhatsApp)",
        lambda: text("Borrar"),
        before=SPANISH,
        contains="Borré todo lo que esta línea de ayuda guardaba",
    ),
    Case(
        "danger comes first, even as the very first message",
        lambda: text("me quieren matar los del cartel"),
        contains="911",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_webhook_case(
    whatsapp_app: tuple[str, Settings],  # noqa: F811
    fake_graph: FakeGraph,  # noqa: F811
    case: Case,
) -> None:
    base, _ = whatsapp_app
    for earlier in case.before:
        assert post(base, earlier()).status_code == 200
    before = len(fake_graph.calls)
    response = post(base, case.body(), signature=case.signature)
    assert response.status_code == case.status, response.text
    calls = fake_graph.calls[before:]
    if case.sends is None:
        assert calls, "the person got an answer"
    else:
        assert len(calls) == case.sends
    for call in calls:
        assert call.status == 200
        assert call.to == case.to
        assert call.path == f"/v25.0/{PHONE_NUMBER_ID}/messages"
        assert call.token == ACCESS_TOKEN
        assert not limits_problems(call), limits_problems(call)
    if case.contains:
        assert case.contains in "\n".join(c.text for c in calls)


@pytest.mark.parametrize(
    ("params", "status", "body"),
    [
        (
            {
                "hub.mode": "subscribe",
                "hub.verify_token": VERIFY_TOKEN,
                "hub.challenge": "1158201444",
            },
            200,
            "1158201444",
        ),
        (
            {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"},
            403,
            None,
        ),
        (
            {
                "hub.mode": "subscribe",
                "hub.verify_token": VERIFY_TOKEN + "x",
                "hub.challenge": "1158201444",
            },
            403,
            None,
        ),
        (
            {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
            403,
            None,
        ),
        ({"hub.mode": "subscribe", "hub.challenge": "1158201444"}, 403, None),
        ({"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN}, 403, None),
    ],
    ids=["right token", "wrong token", "longer token", "not subscribe", "no token", "no challenge"],
)
def test_verification_handshake(
    whatsapp_app: tuple[str, Settings],  # noqa: F811
    params: dict[str, str],
    status: int,
    body: str | None,
) -> None:
    base, _ = whatsapp_app
    response = httpx.get(f"{base}{PATH}", params=params, timeout=10)
    assert response.status_code == status
    if body is not None:
        assert response.text == body
        assert response.headers["content-type"].startswith("text/plain")


def test_two_messages_in_one_post_are_both_answered(
    whatsapp_app: tuple[str, Settings],  # noqa: F811
    fake_graph: FakeGraph,  # noqa: F811
) -> None:
    base, _ = whatsapp_app
    calls = say(base, fake_graph, payload("batch_two_messages"))
    assert {c.to for c in calls} == {WA_ID, "5215598765432"}, "each person got their answer"


def test_same_wamid_three_times_is_answered_once(
    whatsapp_app: tuple[str, Settings],  # noqa: F811
    fake_graph: FakeGraph,  # noqa: F811
) -> None:
    base, _ = whatsapp_app
    body = pressed("lang:es")
    first = say(base, fake_graph, body)
    assert first, "the first delivery is answered"
    for _ in range(2):
        assert post(base, body).status_code == 200
    assert len(fake_graph.sent()) == len(first), "Meta's redeliveries get 200 and nothing more"


def test_a_typed_number_answers_like_the_tap(
    whatsapp_app: tuple[str, Settings],  # noqa: F811
    fake_graph: FakeGraph,  # noqa: F811
) -> None:
    base, _ = whatsapp_app

    def menu(wa_id: str) -> GraphCall:
        say(base, fake_graph, pressed("lang:en", wa_id=wa_id))
        return say(base, fake_graph, text("/menu", wa_id=wa_id))[-1]

    tapped_menu = menu("5215500000001")
    second_id = tapped_menu.choices[1][0]
    tapped = say(base, fake_graph, pressed(second_id, wa_id="5215500000001"))
    menu("5215500000002")
    typed = say(base, fake_graph, text("2", wa_id="5215500000002"))
    assert [c.body for c in typed] == [{**c.body, "to": "5215500000002"} for c in tapped], (
        "typing 2 shows what tapping the second choice shows"
    )


def test_webhook_is_off_without_all_four_settings(tmp_path: Any, db_url: str) -> None:
    from tests.conftest import make_settings
    from tests.support.live import serve

    settings = make_settings(
        tmp_path, db_url, whatsapp_access_token="t", whatsapp_app_secret=APP_SECRET
    )
    with serve(settings) as base:
        assert post(base, payload("text")).status_code == 404
        assert httpx.get(f"{base}/healthz", timeout=10).json()["whatsapp"] is False


def _long_menu(folder: Path, count: int = 12) -> Path:
    """Content whose main menu has ``count`` topics (more than a WhatsApp list holds)."""
    nodes = ["nodes:", "  - id: main", "    title: Main menu", "    messages:", "      - Pick."]
    nodes.append("    buttons:")
    nodes += [f"      - label: Topic {i}\n        goto: topic_{i}" for i in range(count)]
    for i in range(count):
        nodes += [f"  - id: topic_{i}", f"    title: Topic {i}", "    messages:", f"      - T{i}."]
    flows = folder / "flows"
    shutil.copytree(REPO_ROOT / "flows" / "legal_aid", flows / "legal_aid")  # the service needs it
    (flows / "main.yaml").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    return flows


def test_a_long_menu_pages_with_a_more_row_and_numbers_count_across_pages(
    tmp_path: Path,
    fake_graph: FakeGraph,  # noqa: F811
) -> None:
    settings = whatsapp_settings(
        tmp_path,
        f"sqlite:///{tmp_path / 'h.db'}",
        fake_graph,
        flows_dir=_long_menu(tmp_path),
        languages="en",
    )
    with serve(settings) as base:
        say(base, fake_graph, pressed("lang:en"))
        (first,) = say(base, fake_graph, text("/menu"))
        ids = [i for i, _ in first.choices]
        assert len(ids) == 10 and ids[-1] == "more:1", "9 topics, then the more row"
        (second,) = say(base, fake_graph, pressed("more:1"))
        assert [t for _, t in second.choices] == ["Topic 9", "Topic 10", "Topic 11", "🌐 Language"]
        assert not limits_problems(first) and not limits_problems(second)
        (eleventh,) = say(base, fake_graph, text("11"))
        assert eleventh.text.startswith("T10."), "11 is the eleventh topic, on the second page"


def test_wrong_signatures_are_counted_and_then_refused(
    tmp_path: Path,
    db_url: str,
    fake_graph: FakeGraph,  # noqa: F811
) -> None:
    """Forged posts are counted per address, as Telegram's wrong secrets are: past the limit,
    that address waits for the hour even with the right signature, so forging learns nothing."""
    settings = whatsapp_settings(tmp_path, db_url, fake_graph, webhook_secret_failures_per_hour=3)
    with serve(settings) as base:
        forged = [post(base, text("hola"), signature="sha256=" + "0" * 64) for _ in range(5)]
        after = post(base, text("hola"))
    assert [r.status_code for r in forged] == [403] * 3 + [429] * 2
    assert after.status_code == 429 and after.headers["retry-after"]
