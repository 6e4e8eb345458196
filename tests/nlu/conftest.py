"""Fixtures for the free-text tests: the real content, loaded once."""

from __future__ import annotations

import pytest

from bot.content import Content, load_content
from bot.nlu import KeywordMatcher
from bot.settings import REPO_ROOT

LANGUAGES = ["es", "en"]


@pytest.fixture(scope="session")
def content() -> Content:
    """The real flows, catalogs and services, exactly as the helpline loads them."""
    return load_content(REPO_ROOT / "flows", REPO_ROOT / "locales", LANGUAGES)


@pytest.fixture(scope="session")
def matcher(content: Content) -> KeywordMatcher:
    """The matcher ``build_services`` made for the real content."""
    found = content.services.matcher
    assert isinstance(found, KeywordMatcher)
    return found
