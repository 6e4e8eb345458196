"""Database engines and migrations: SQLite by default, PostgreSQL when ``DATABASE_URL`` says so.

The service uses SQLAlchemy's asyncio engine (aiosqlite / psycopg); Alembic migrates with the
matching synchronous driver. The schema is created by migrations only, never by ``create_all``,
so that every deployment has the same history.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

__all__ = ["async_url", "create_engine_for", "migrate", "session_factory", "sync_url"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def async_url(url: str) -> URL:
    """The asyncio form of a database URL (``sqlite+aiosqlite``, ``postgresql+psycopg``)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def sync_url(url: str) -> URL:
    """The synchronous form of a database URL, for Alembic."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite")
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def _ensure_sqlite_folder(url: URL) -> None:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def migrate(url: str) -> None:
    """Bring the schema up to date (``alembic upgrade head``)."""
    target = sync_url(url)
    _ensure_sqlite_folder(target)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = target
    command.upgrade(config, "head")


def create_engine_for(url: str) -> AsyncEngine:
    """An asyncio engine; SQLite gets a busy timeout so several writers wait instead of failing."""
    target = async_url(url)
    _ensure_sqlite_folder(target)
    if target.get_backend_name() == "sqlite":
        engine = create_async_engine(target, connect_args={"timeout": 15})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # Deleted content is overwritten with zeros, not only marked free (bot.store.erasure).
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_async_engine(target, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """One session per update; objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
