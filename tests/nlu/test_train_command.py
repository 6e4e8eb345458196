"""``python -m bot train`` fills the classifier cache ahead of time (the Docker image's build step).

A service whose ``NLU_CACHE_DIR`` holds its content's models loads them instead of training for
half a minute after each start; content with errors trains nothing and says why, with file and
line, as ``validate`` does.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.engine.loader import load_flows
from bot.nlu.matcher import is_trained
from bot.settings import REPO_ROOT, get_settings


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The command's settings come from the environment, as in a Docker build; yields the cache."""
    cache = tmp_path / "nlu-cache"
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NLU_CACHE_DIR", str(cache))
    monkeypatch.setenv("FLOWS_DIR", str(REPO_ROOT / "flows"))
    get_settings.cache_clear()
    yield cache
    get_settings.cache_clear()


def test_it_trains_the_content_into_the_cache_once(settings_env: Path) -> None:
    cache = settings_env
    first = CliRunner().invoke(app, ["train"])
    assert first.exit_code == 0, first.output
    assert f"trained the classifier into {cache}" in first.output
    flows_dir = REPO_ROOT / "flows"
    assert is_trained(load_flows(flows_dir).flows, flows_dir, None, cache), (
        "the service would find both models there and train nothing"
    )
    assert not (Path(get_settings().data_dir) / "nlu-cache").exists(), (
        "NLU_CACHE_DIR is used instead of DATA_DIR/nlu-cache"
    )
    again = CliRunner().invoke(app, ["train"])
    assert again.exit_code == 0
    assert f"already in {cache}" in again.output


def test_content_with_errors_trains_nothing_and_says_where(
    settings_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    flows_dir = tmp_path / "flows"
    shutil.copytree(REPO_ROOT / "flows", flows_dir)
    broken = flows_dir / "asylum.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "  - id: [not, an, id\n")
    monkeypatch.setenv("FLOWS_DIR", str(flows_dir))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["train"])
    assert result.exit_code == 1
    assert "asylum.yaml" in result.output and "nothing trained" in result.output
    assert not settings_env.exists() or not list(settings_env.iterdir())
