"""Database engines and migrations: SQLite by default, PostgreSQL when ``DATABASE_URL`` says so.

The service uses SQLAlchemy's asyncio engine (aiosqlite / psycopg); Alembic migrates with the
matching synchronous driver. The schema is created by migrations only, never by ``create_all``,
so that every deployment has the same history.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, pool, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

__all__ = [
    "HEAD_REVISION",
    "async_url",
    "create_engine_for",
    "migrate",
    "session_factory",
    "sqlite_writer_engine",
    "sync_url",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0004"
"""The newest migration's revision (a test holds it to Alembic's own head). A database that is
already there is left alone without importing Alembic: a restart saves a tenth of a second."""
MIGRATION_LOCK = 0x48454C50  # "HELP": the PostgreSQL advisory lock key held while migrating
POOL_SIZE = 10
"""Connections kept per worker; a turn holds one for a few milliseconds."""
POOL_OVERFLOW = 20
POOL_TIMEOUT_SECONDS = 10.0
"""A turn that cannot get a connection this soon fails (5xx, redelivered) instead of hanging."""
SQLITE_BUSY_SECONDS = 10


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
    """Bring the schema up to date (``alembic upgrade head``) under a lock.

    Several workers (``run --workers N``) or replicas start at once: PostgreSQL's advisory lock
    (or, for SQLite, a lock file beside the database) lets one migrate while the others wait and
    then find nothing left to do.
    """
    target = sync_url(url)
    _ensure_sqlite_folder(target)
    if _at_head(target):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = target
    if target.get_backend_name() != "postgresql":
        with _file_lock(target):
            command.upgrade(config, "head")
        return
    engine = create_engine(target, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()
            try:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
    finally:
        engine.dispose()


def _at_head(url: URL) -> bool:
    """True when the database already records ``HEAD_REVISION``. Read without the lock: a schema
    at head is never changed by another migrator (Alembic writes the revision after the DDL, in
    PostgreSQL's case in the same transaction), and anything else goes on to take the lock. A
    missing table or an unreachable server is "not at head": Alembic then says what is wrong."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return list(found) == [HEAD_REVISION]
    except DBAPIError:
        return False
    finally:
        engine.dispose()


@contextlib.contextmanager
def _file_lock(url: URL) -> Iterator[None]:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    lock = Path(url.database).with_name(Path(url.database).name + ".migrate-lock")
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_engine_for(url: str) -> AsyncEngine:
    """An asyncio engine with explicit pool limits.

    SQLite: WAL with ``synchronous=NORMAL`` (no fsync per commit), a busy timeout, and
    ``BEGIN IMMEDIATE`` for every transaction, so a turn that
    read the state takes the write lock before it reads (a deferred transaction that reads and
    then writes fails at once with "database is locked" when another writer came between).
    """
    target = async_url(url)
    _ensure_sqlite_folder(target)
    if target.get_backend_name() == "sqlite":
        engine = create_async_engine(
            target,
            connect_args={"timeout": SQLITE_BUSY_SECONDS},
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_timeout=POOL_TIMEOUT_SECONDS,
        )

        _sqlite_setup(engine.sync_engine)
        return engine
    return create_async_engine(
        target,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=POOL_TIMEOUT_SECONDS,
        connect_args={"connect_timeout": 5},
    )


def _sqlite_setup(engine: Engine) -> None:
    """Every SQLite connection, async or the turn writer's: WAL, secure delete, and
    ``BEGIN IMMEDIATE``."""

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a process that dies
        # loses nothing committed (the log is in the OS's cache); only a power cut or an OS
        # crash can drop the last commits, never corrupt the file. A dropped turn had been
        # answered already (a 200 goes out only after its commit and sends), so at worst its
        # conversation is one step behind, or a redelivered update is answered again.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted content is overwritten with zeros, not only marked free (bot.store.erasure).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):  # type: ignore[no-untyped-def]
        # An AUTOCOMMIT connection (the WAL checkpoint after an erasure) runs outside any
        # transaction: SQLite refuses to checkpoint inside one.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_writer_engine(url: str, *, busy_seconds: float = SQLITE_BUSY_SECONDS) -> Engine | None:
    """For SQLite, a synchronous engine with one connection for the turn writer's thread
    (``bot.store.writer``); ``None`` for any other database.

    ``busy_seconds=0``: the event loop's own connection, which never waits for a lock (a
    ``BEGIN IMMEDIATE`` that finds another writer fails at once, and the turn goes to the
    writer's thread) and never checkpoints (an ``fsync`` would stop the loop): the writer
    checkpoints for it (``SqliteWriter.checkpoint``)."""
    target = sync_url(url)
    if target.get_backend_name() != "sqlite":
        return None
    _ensure_sqlite_folder(target)
    engine = create_engine(
        target,
        # Opened, used and closed on the writer's one thread; disposal may run elsewhere.
        connect_args={"timeout": busy_seconds, "check_same_thread": False},
        poolclass=pool.QueuePool,
        pool_size=1,
        max_overflow=0,
    )
    _sqlite_setup(engine)
    if busy_seconds == 0:

        @event.listens_for(engine, "connect")
        def _no_checkpoints(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """One session per update; objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
