"""The schema as Alembic builds it: the legal-aid tables of 0002 are gone at head (0003), and
going back to 0002 gives them back without touching conversations."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from bot.store.database import MIGRATIONS, migrate, sync_url

DIRECTORY_TABLES = {"legal_aid_provider", "legal_aid_provider_item"}


def test_head_has_no_directory_tables_and_0002_can_come_back(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine(sync_url(db_url))
    try:
        names = set(inspect(engine).get_table_names())
        assert {"conversation_state", "counter"} <= names
        assert not DIRECTORY_TABLES & names
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["url"] = sync_url(db_url)
        command.downgrade(config, "0002")
        assert set(inspect(engine).get_table_names()) >= DIRECTORY_TABLES
        command.upgrade(config, "head")
        names = set(inspect(engine).get_table_names())
        assert not DIRECTORY_TABLES & names and "conversation_state" in names
    finally:
        engine.dispose()
