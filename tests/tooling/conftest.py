"""Fixtures for the editor tools: a writable copy of the project with the default languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import get_settings
from tests.support.project import copy_project, copy_valid_content


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the project's content and code, and settings that use the default languages."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("LANGUAGES", "es,en")
    monkeypatch.delenv("LANGUAGE_MIN_COVERAGE", raising=False)
    get_settings.cache_clear()
    yield root
    get_settings.cache_clear()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the tiny valid content, with the real legal-aid directory."""
    return copy_valid_content(tmp_path)
