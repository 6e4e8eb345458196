"""Alembic environment: the URL comes from ``bot.store.database.migrate`` (never from a file)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from bot.store.models import Base

config = context.config
url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("run migrations through `python -m bot migrate`, which sets the URL")

engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
