"""The running service keeps the legal-aid tables in step with the content it serves."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.app import create_app
from bot.directory.tables import ProviderRow
from bot.runtime import Runtime
from bot.settings import REPO_ROOT
from tests.conftest import make_settings


async def provider_count(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(
            (await session.execute(select(func.count()).select_from(ProviderRow))).scalar_one()
        )


async def test_directory_tables_follow_startup_and_reload(tmp_path: Path, db_url: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "flows", content / "flows")
    shutil.copytree(REPO_ROOT / "locales", content / "locales")
    settings = make_settings(
        tmp_path,
        db_url,
        flows_dir=content / "flows",
        locales_dir=content / "locales",
        admin_token="admin-Pw7Kx2Qz9Lv4Mr8Tn3Cb6Jy1Hf5Gd0Se",
        content_watch_seconds=0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        before = await provider_count(runtime)
        assert before > 10, "every organisation of providers.yaml is in the table"

        providers = content / "flows" / "legal_aid" / "providers.yaml"
        text = providers.read_text(encoding="utf-8")
        first = text.index("\n  - id:")
        second = text.index("\n  - id:", first + 1)
        providers.write_text(text[:first] + text[second:], encoding="utf-8")

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post(
                "/admin/reload",
                headers={"Authorization": "Bearer admin-Pw7Kx2Qz9Lv4Mr8Tn3Cb6Jy1Hf5Gd0Se"},
            )
        assert response.status_code == 200, response.text
        assert runtime.directory_sync is not None, "a successful reload schedules the copy"
        await runtime.directory_sync
        assert await provider_count(runtime) == before - 1, (
            "the removed organisation left the table"
        )
