"""Alembic environment: the URL comes from ``bot.store.database.migrate`` (never from a file)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from bot.store.models import Base

config = context.config
shared = config.attributes.get("connection")
"""A connection that already holds the migration lock (PostgreSQL), from ``migrate``."""


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if shared is not None:
    _run(shared)
else:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("run migrations through `python -m bot migrate`, which sets the URL")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()
