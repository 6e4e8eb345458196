"""Database URLs for tests: a fresh SQLite file, or a fresh PostgreSQL database when one answers."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
POSTGRES_REASON = (
    "no PostgreSQL server answers on 127.0.0.1:5432 (CI has one: trust auth, database test)"
)


def postgres_available() -> bool:
    """True when the CI PostgreSQL server answers."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """Create a throw-away database, yield its SQLAlchemy URL, drop it afterwards."""
    import psycopg

    if not postgres_available():
        pytest.skip(POSTGRES_REASON)
    name = f"helpline_test_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database of ``kind`` ("sqlite" or "postgres")."""
    if kind == "postgres":
        with fresh_postgres() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'helpline.db'}"
