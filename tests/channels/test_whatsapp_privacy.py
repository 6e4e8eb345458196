"""No identities anywhere, on WhatsApp too: after a conversation from wa_id 5215512345678,
profile name "María Hernández", with typed text containing both (and sends that fail), search
every table, the database files and every log line for them."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.logs import configure_logging
from bot.settings import Settings
from tests.support.fake_graph import FakeGraph
from tests.support.whatsapp import (
    BSUID,
    PROFILE_NAME,
    WA_ID,
    fake_graph,  # noqa: F401 - fixture
    payload,
    post,
    pressed,
    text,
    whatsapp_app,  # noqa: F401 - fixture
)
from tests.test_privacy import dump_tables

TYPED = f"Me llamo {PROFILE_NAME} y mi número es +{WA_ID}"
IDENTITIES = [
    WA_ID,
    "5512345678",
    PROFILE_NAME,
    "María",
    "Hernández",
    "Hernandez",
    BSUID,
    "1502576394655843",
    "maria.hernandez",
    TYPED,
    "Me llamo",
]


def test_no_whatsapp_identity_in_any_table_file_or_log(
    whatsapp_app: tuple[str, Settings],  # noqa: F811
    fake_graph: FakeGraph,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    base, settings = whatsapp_app
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    script = [
        payload("text"),
        pressed("lang:es"),
        text(TYPED),
        payload("voice"),
        text("/menu"),
        text("2"),
        payload("status_delivered"),
        payload("status_failed"),
        payload("text_username"),
        payload("batch_two_messages"),
    ]
    for body in script:
        assert post(base, body).status_code == 200
    fake_graph.fail(131047)
    assert post(base, text("hola")).status_code == 200
    fake_graph.fail(131026)
    assert post(base, text("asilo")).status_code == 200
    fake_graph.fail(500, 5)
    failing = text("corte")
    assert post(base, failing).status_code == 503
    assert post(base, failing).status_code == 200
    assert post(base, b"{broken", signature="sha256=" + "0" * 64).status_code == 403
    assert any(c.to == WA_ID for c in fake_graph.sent()), "answers reached the person"

    rows = asyncio.run(dump_tables(settings.effective_database_url))
    assert any(len(v) == 64 for v in rows), "the conversation state was stored, under its HMAC key"
    logs = [record.getMessage() for record in caplog.records] + caplog.text.splitlines()
    captured = capfd.readouterr()
    streams = captured.out + captured.err
    paths = [p for p in Path(settings.data_dir).rglob("*") if p.is_file()]
    url = settings.effective_database_url
    if url.startswith("sqlite:///"):  # the database file (and its journal) may lie elsewhere
        database = Path(url.removeprefix("sqlite:///"))
        paths += [p for p in database.parent.glob(database.name + "*") if p.is_file()]
        assert database in paths, "the SQLite file itself is searched"
    files = b"".join(p.read_bytes() for p in paths)
    for identity in IDENTITIES:
        assert not any(identity in value for value in rows), f"{identity!r} stored in the database"
        assert not any(identity in line for line in logs), f"{identity!r} in a log line"
        assert identity not in streams, f"{identity!r} printed"
        assert identity.encode() not in files, f"{identity!r} in a database file"
    assert logs, "the logs were captured (the search above searched something)"
