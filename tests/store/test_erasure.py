"""After ``/borrar`` the erased answers are in no database file: not in SQLite's main file or its
write-ahead log, not in PostgreSQL's table data (its heap pages, read with pageinspect, and the
table's files under the data directory)."""

from __future__ import annotations

import glob
import json
import logging
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from bot.logs import configure_logging
from bot.settings import Settings
from tests.channels.test_web_sessions import ES, rows
from tests.conftest import make_settings
from tests.support.live import serve
from tests.support.privacy import scan


def answer_the_screener(client: httpx.Client) -> None:
    """Menu, then the screener's questions, always the first answer."""
    client.post("/api/chat", json={"text": "/menu"})
    replies = client.post("/api/chat", json={"payload": "g:screener"}).json()["replies"]
    for _ in range(5):
        payload = next(
            b["payload"]
            for r in replies
            for b in r["buttons"]
            if b["payload"] and b["payload"].startswith("b:screener")
        )
        replies = client.post("/api/chat", json={"payload": payload}).json()["replies"]


def answer_pairs(url: str) -> list[bytes]:
    """The stored answers as they appear in the state's JSON: ``"screener_where":"us"`` …"""
    [(_key, data, *_rest)] = rows(url)
    answers = json.loads(str(data))["answers"]
    assert len(answers) >= 3, answers
    return [json.dumps({k: v}, separators=(",", ":"))[1:-1].encode() for k, v in answers.items()]


def sqlite_files(settings: Settings) -> dict[str, bytes]:
    path = Path(settings.effective_database_url.removeprefix("sqlite:///"))
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    return caplog


def test_sqlite_erasure_leaves_nothing_in_the_main_file_or_the_log(
    tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'data' / 'helpline.db'}")
    with serve(settings) as base, httpx.Client(base_url=base, headers=ES) as client:
        answer_the_screener(client)
        pairs = answer_pairs(settings.effective_database_url)
        before = sqlite_files(settings)
        assert any(p in data for data in before.values() for p in pairs), "the probe sees them"
        erased = client.post("/api/chat", json={"text": "/borrar"})
        assert erased.status_code == 200
        after = sqlite_files(settings)
        cookie = client.cookies["helpline_session"]
    assert rows(settings.effective_database_url) == []
    for name, data in after.items():
        for pair in pairs:
            assert pair not in data, f"{pair!r} still in {name}"
    assert "helpline.db-wal" in after, "the log was searched too (it now holds the counter)"
    scan(settings, [cookie], logs)


def _relation_files(connection: psycopg.Connection[tuple[object, ...]]) -> list[Path]:
    row = connection.execute(
        "SELECT current_setting('data_directory'), pg_relation_filepath('conversation_state')"
    ).fetchone()
    assert row is not None
    data_dir, relation = str(row[0]), str(row[1])
    return [Path(p) for p in glob.glob(f"{data_dir}/{relation}*")]


def _heap_bytes(connection: psycopg.Connection[tuple[object, ...]]) -> bytes:
    connection.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    pages = connection.execute(
        "SELECT pg_relation_size('conversation_state') / current_setting('block_size')::int"
    ).fetchone()
    assert pages is not None
    raw = b""
    for page in range(int(str(pages[0]))):
        found = connection.execute(
            "SELECT get_raw_page('conversation_state', %s)", (page,)
        ).fetchone()
        assert found is not None
        raw += bytes(found[0])  # type: ignore[arg-type]
    return raw


@pytest.mark.postgres
def test_postgres_erasure_overwrites_the_row_and_rewrites_the_table(
    tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    from tests.support.databases import fresh_postgres

    with fresh_postgres() as url:
        settings = make_settings(tmp_path, url)
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with (
            serve(settings) as base,
            httpx.Client(base_url=base, headers=ES) as client,
            psycopg.connect(plain, autocommit=True) as connection,
        ):
            answer_the_screener(client)
            pairs = answer_pairs(url)
            connection.execute("CHECKPOINT")
            assert any(p in _heap_bytes(connection) for p in pairs), "the probe sees them"
            assert client.post("/api/chat", json={"text": "/borrar"}).status_code == 200
            deadline = time.monotonic() + 30
            while True:  # the table is rewritten in the background, right after the erasure
                connection.execute("CHECKPOINT")
                heap = _heap_bytes(connection)
                files = b"".join(p.read_bytes() for p in _relation_files(connection))
                if not any(p in heap or p in files for p in pairs):
                    break
                assert time.monotonic() < deadline, "the erased answers stayed in the table"
                time.sleep(0.2)
            cookie = client.cookies["helpline_session"]
        assert rows(url) == []
        scan(settings, [cookie], logs)
