"""A turn's statements in SQLite's own driver, for the turns run on the event loop.

Why: through SQLAlchemy Core the five statements of a turn (read the state, write it, the dedupe
mark, the counter, the commit) cost about 190 µs of CPU, three times what ``sqlite3`` itself
spends on them (66 µs, ``bench/hot_path.py`` and a micro-benchmark of the same rows): building
the execution context and the parameters of each statement. On the event loop that time is
everybody's, so the commonest turn (a fresh update, a state that is written, not erased) runs
these statements directly; everything else (an erasure, a redelivery, any turn that finds SQLite
busy) is handed back and runs on the writer's thread through SQLAlchemy (``bot.store.outbox``).

The SQL is written against the tables of ``bot.store.models`` and stores values as SQLAlchemy
does on SQLite (``DATETIME`` as ``YYYY-MM-DD HH:MM:SS.ffffff``, ``DATE`` as ``YYYY-MM-DD``), so
rows written either way read the same (``tests/store/test_writer.py`` compares them).
"""

from __future__ import annotations

import datetime as dt
import sqlite3

__all__ = [
    "INSERT_MARK",
    "INSERT_STATE",
    "SELECT_STATE",
    "UPDATE_STATE",
    "UPSERT_COUNTER",
    "is_busy",
    "sql_date",
    "sql_datetime",
]

SELECT_STATE = 'SELECT version, data, expires_at FROM conversation_state WHERE "key" = ?'
INSERT_STATE = (
    'INSERT INTO conversation_state ("key", data, version, updated_at, expires_at) '
    "VALUES (?, ?, 1, ?, ?)"
)
UPDATE_STATE = (
    "UPDATE conversation_state SET version = ?, data = ?, updated_at = ?, expires_at = ? "
    'WHERE "key" = ? AND version = ?'
)
INSERT_MARK = (
    "INSERT INTO delivery (channel, update_id, created_at, outbox, sent, lease_until) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, update_id) DO NOTHING RETURNING sent"
)
UPSERT_COUNTER = (
    "INSERT INTO counter (day, channel, locale, node, count) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (day, channel, locale, node) DO UPDATE SET count = counter.count + excluded.count"
)

_SQLITE_BUSY = 5


def sql_datetime(value: dt.datetime | None) -> str | None:
    """A naive UTC datetime as SQLAlchemy stores ``DateTime`` on SQLite."""
    if value is None:
        return None
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def sql_date(value: dt.date) -> str:
    """A date as SQLAlchemy stores ``Date`` on SQLite."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def is_busy(exc: BaseException | None) -> bool:
    """SQLite answered SQLITE_BUSY (another connection holds the lock), any extended code."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(exc, sqlite3.OperationalError)
        and isinstance(code, int)
        and (code & 0xFF == _SQLITE_BUSY)
    )
