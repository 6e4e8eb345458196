"""The WhatsApp test harness: real webhook payloads from files, signed like Meta signs them,
posted to the live app; what the helpline sends is read from the fake Graph API.

Payload files in ``tests/data/whatsapp/`` follow the shapes of Meta's webhook reference (text,
interactive button and list replies, audio, image, sticker, location, reaction, statuses, a
batch, a sender whose phone number is withheld). Builders below change only the fields a test
needs (message id, text, reply id, sender), so every body stays a real shape.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.settings import Settings
from tests.conftest import make_settings
from tests.support.fake_graph import ACCESS_TOKEN, PHONE_NUMBER_ID, FakeGraph, GraphCall
from tests.support.fake_graph import start_fake_graph as _start
from tests.support.live import serve

DATA = Path(__file__).resolve().parent.parent / "data" / "whatsapp"
APP_SECRET = "wa-app_Zr8Kq2Lm5Xp9Tv3Nb7Wc1Hy4Gd6Fs0JaQe"
VERIFY_TOKEN = "wa-verify_Pq7Ld3Rx9Mv2Kt5Bn8Yc4Hs1Gf6Zw0Je"
WA_ID = "5215512345678"
PROFILE_NAME = "María Hernández"
BSUID = "MX.1502576394655843"
PATH = "/whatsapp/webhook"

_wamids = itertools.count(1)


def payload(name: str) -> dict[str, Any]:
    """A webhook body from ``tests/data/whatsapp/<name>.json``."""
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


def messages_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every message object in a webhook body (to adjust them)."""
    return [m for e in data["entry"] for c in e["changes"] for m in c["value"].get("messages", [])]


def fresh_wamid() -> str:
    """A message id never used before in this test run."""
    return f"wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFDNB{next(_wamids):020d}AA=="


def _one(name: str, wa_id: str, wamid: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    data = payload(name)
    (message,) = messages_of(data)
    message["id"] = wamid or fresh_wamid()
    message["from"] = wa_id
    for value in (c["value"] for e in data["entry"] for c in e["changes"]):
        for contact in value.get("contacts", []):
            contact["wa_id"] = wa_id
    return data, message


def text(body: str, wa_id: str = WA_ID, wamid: str | None = None) -> dict[str, Any]:
    """A text message (``text.json``) with this body."""
    data, message = _one("text", wa_id, wamid)
    message["text"]["body"] = body
    return data


def pressed(reply_id: str, wa_id: str = WA_ID, wamid: str | None = None) -> dict[str, Any]:
    """A tap on a reply button (``button_reply.json``) or a list row (``list_reply.json``):
    chosen by the id's form is not possible, so ``more:`` and ``nav:`` ids come as list rows."""
    name = "list_reply" if reply_id.startswith(("more:", "nav:")) else "button_reply"
    data, message = _one(name, wa_id, wamid)
    kind = message["interactive"]["type"]
    message["interactive"][kind]["id"] = reply_id
    return data


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    """``X-Hub-Signature-256`` as Meta computes it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(
    base: str,
    data: dict[str, Any] | bytes,
    signature: str | None = "sign",
) -> httpx.Response:
    """Post a webhook body; ``signature="sign"`` signs it right, ``None`` sends none."""
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = sign(body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return httpx.post(f"{base}{PATH}", content=body, headers=headers, timeout=30)


def say(base: str, graph: FakeGraph, data: dict[str, Any]) -> list[GraphCall]:
    """Post a signed body; return the messages the person received because of it."""
    before = len(graph.sent())
    response = post(base, data)
    assert response.status_code == 200, response.text
    return graph.sent()[before:]


def whatsapp_settings(tmp_path: Path, url: str, graph: FakeGraph, **extra: object) -> Settings:
    """Settings with WhatsApp on, pointed at the fake Graph API; retries without long waits."""
    values: dict[str, object] = {
        "whatsapp_access_token": ACCESS_TOKEN,
        "whatsapp_app_secret": APP_SECRET,
        "whatsapp_verify_token": VERIFY_TOKEN,
        "whatsapp_phone_number_id": PHONE_NUMBER_ID,
        "whatsapp_api_base_url": graph.url,
        "whatsapp_retry_seconds": 0.01,
    }
    values.update(extra)
    return make_settings(tmp_path, url, None, **values)


@pytest.fixture
def fake_graph() -> Iterator[FakeGraph]:
    """A fresh fake Graph API server."""
    fake = _start()
    yield fake
    assert fake.server is not None
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def whatsapp_app(
    tmp_path: Path, db_url: str, fake_graph: FakeGraph
) -> Iterator[tuple[str, Settings]]:
    """The whole helpline with WhatsApp on, served on 127.0.0.1; yields (base URL, settings)."""
    settings = whatsapp_settings(tmp_path, db_url, fake_graph)
    with serve(settings) as base:
        yield base, settings


def limits_problems(call: GraphCall) -> list[str]:
    """Everything in one sent message that breaks a WhatsApp limit (empty when it is fine)."""
    body = call.body
    problems: list[str] = []
    if body.get("messaging_product") != "whatsapp":
        problems.append("messaging_product is not whatsapp")
    if body.get("type") == "text":
        if len(body["text"]["body"]) > 4096:
            problems.append(f"text of {len(body['text']['body'])} characters")
        if body["text"].get("preview_url") is not False:
            problems.append("link previews are not off")
        return problems
    interactive = body["interactive"]
    text_length = len(interactive["body"]["text"])
    if not 0 < text_length <= 1024:
        problems.append(f"interactive body of {text_length} characters")
    action = interactive["action"]
    if interactive["type"] == "button":
        buttons = action["buttons"]
        if not 1 <= len(buttons) <= 3:
            problems.append(f"{len(buttons)} buttons")
        titles = [b["reply"]["title"] for b in buttons]
        problems += [f"button title {t!r} over 20" for t in titles if len(t) > 20]
        problems += [f"button title {t!r} was cut" for t in titles if t.endswith("…")]
        ids = [b["reply"]["id"] for b in buttons]
        problems += [f"button id {i!r} over 256" for i in ids if len(i) > 256]
        if len(set(ids)) != len(ids) or len(set(titles)) != len(titles):
            problems.append("buttons repeat an id or a title")
    elif interactive["type"] == "list":
        if len(action["button"]) > 20:
            problems.append(f"list button {action['button']!r} over 20")
        rows = [r for s in action["sections"] for r in s["rows"]]
        if not 1 <= len(rows) <= 10:
            problems.append(f"{len(rows)} list rows")
        for row in rows:
            if len(row["title"]) > 24:
                problems.append(f"row title {row['title']!r} over 24")
            if len(row.get("description", "")) > 72:
                problems.append(f"row description {row['description']!r} over 72")
            if len(row["id"]) > 200:
                problems.append(f"row id {row['id']!r} over 200")
        if len({r["id"] for r in rows}) != len(rows):
            problems.append("list rows repeat an id")
    else:
        problems.append(f"unknown interactive type {interactive['type']!r}")
    return problems


def copy_of(data: dict[str, Any]) -> dict[str, Any]:
    """A deep copy, to change one body without changing another."""
    return copy.deepcopy(data)
