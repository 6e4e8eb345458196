"""The schema as Alembic builds it: the legal-aid tables of 0002 are gone at head, and going back
to 0002 gives them back without touching conversations; a database behind head is migrated at
start, one at head is left alone without Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from bot.app import create_app
from bot.settings import REPO_ROOT
from bot.store.database import HEAD_REVISION, MIGRATIONS, migrate, sync_url
from tests.conftest import make_settings

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


def _alembic(db_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = sync_url(db_url)
    return config


def _version(db_url: str) -> list[str]:
    engine = create_engine(sync_url(db_url))
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            )
    finally:
        engine.dispose()


def test_head_revision_is_alembics_head() -> None:
    """``migrate`` skips Alembic for a database at ``HEAD_REVISION``: a new migration must move
    it, or databases one migration behind would never get it."""
    head = ScriptDirectory.from_config(_alembic("sqlite://")).get_current_head()
    assert head == HEAD_REVISION, f"set HEAD_REVISION = {head!r} in bot/store/database.py"


async def test_the_service_migrates_a_database_behind_head_at_start(
    db_url: str, tmp_path: Path
) -> None:
    command.upgrade(_alembic(db_url), "0002")
    assert _version(db_url) == ["0002"]
    app = create_app(make_settings(tmp_path, db_url, content_watch_seconds=0))
    async with app.router.lifespan_context(app):
        assert _version(db_url) == [HEAD_REVISION]
    engine = create_engine(sync_url(db_url))
    try:
        assert not DIRECTORY_TABLES & set(inspect(engine).get_table_names()), "0004 ran"
    finally:
        engine.dispose()


def test_a_restart_at_head_does_not_load_alembic(db_url: str) -> None:
    """The first start migrates (Alembic); the next one finds the schema at head with one query
    and never imports Alembic (a tenth of a second of every start)."""
    probe = (
        "import sys; from bot.store.database import migrate; "
        f"migrate({db_url!r}); print('alembic' in sys.modules)"
    )

    def start() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
        )
        return done.stdout.strip()

    assert start() == "True", "a fresh database is migrated by Alembic"
    assert _version(db_url) == [HEAD_REVISION]
    assert start() == "False", "a database at head needs no Alembic"
    assert _version(db_url) == [HEAD_REVISION]
