"""The privacy scan of ``tests/test_privacy.py``, reusable: identities in no table, no database
file, no log line and nothing printed."""

from __future__ import annotations

import asyncio
import gc
import types
from collections.abc import Iterable
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from bot.settings import Settings
from bot.store.database import create_engine_for


async def dump_tables(url: str) -> list[str]:
    """Every value of every row of every table, as text."""
    engine = create_engine_for(url)
    metadata = MetaData()
    async with engine.connect() as connection:
        await connection.run_sync(metadata.reflect)
        values: list[str] = []
        for table in metadata.sorted_tables:
            rows = await connection.execute(select(table))
            for row in rows:
                values.extend(str(v) for v in row)
    await engine.dispose()
    return values


def scan(
    settings: Settings,
    identities: Iterable[str],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str] | None = None,
    *,
    tables: bool = True,
    stored_only: Iterable[str] = (),
) -> None:
    """Fail when any identity is in a table, a file under DATA_DIR, a log record or the output.

    ``stored_only`` values are searched in tables and files only (the client address, which
    uvicorn's own start-up line names as the address it listens on)."""
    rows = asyncio.run(dump_tables(settings.effective_database_url)) if tables else []
    logs = [record.getMessage() for record in caplog.records] + caplog.text.splitlines()
    streams = ""
    if capfd is not None:
        captured = capfd.readouterr()
        streams = captured.out + captured.err
    data = Path(settings.data_dir)
    files = (
        b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file()) if data.exists() else b""
    )
    for identity in identities:
        assert not any(identity in value for value in rows), f"{identity!r} stored in the database"
        assert not any(identity in line for line in logs), f"{identity!r} in a log line"
        assert identity not in streams, f"{identity!r} printed"
        assert identity.encode() not in files, f"{identity!r} in a database file"
    for value in stored_only:
        assert not any(value in row for row in rows), f"{value!r} stored in the database"
        assert value.encode() not in files, f"{value!r} in a database file"


def reachable_values(root: object, wanted: set[int], texts: set[str]) -> set[object]:
    """The wanted ints (and strings containing the wanted texts) reachable from ``root``.

    Follows containers, objects, slots, tasks and coroutine frames; not modules, classes or
    functions (their globals reach the whole program, this test included).
    """
    skip = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.CodeType)
    found: set[object] = set()
    seen: set[int] = set()
    stack: list[object] = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, bool):
            continue
        if isinstance(obj, int):
            if obj in wanted:
                found.add(obj)
            continue
        if isinstance(obj, str):
            found.update(t for t in texts if t in obj)
            continue
        if isinstance(obj, (bytes, float, *skip)):
            continue
        stack.extend(gc.get_referents(obj))
    return found
