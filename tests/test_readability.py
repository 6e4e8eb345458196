"""Readability scoring is an editor's tool: without the editor extra it says so, and never breaks
the service; with it, NLTK's dictionary is kept under DATA_DIR."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.engine.loader import load_flows
from bot.i18n.catalogs import load_localizer
from bot.readability import (
    ReadabilityUnavailable,
    Unavailable,
    availability,
    measure,
    measure_if_available,
)
from bot.settings import REPO_ROOT

FLOWS = REPO_ROOT / "tests" / "data" / "flows_tiny"


@pytest.fixture
def translators() -> tuple[object, object]:
    localizer = load_localizer(REPO_ROOT / "locales", ["en", "es"])
    return localizer.translator("en"), localizer.translator("es")


@pytest.fixture
def without_textstat(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in the service image: the editor extra is not installed (importing it fails)."""
    for name in [m for m in sys.modules if m == "textstat" or m.startswith("textstat.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "textstat", None)


def test_the_editor_tools_are_installed_for_tests() -> None:
    assert availability() is None


@pytest.mark.usefixtures("without_textstat")
def test_without_the_editor_extra_readability_is_not_available(
    translators: tuple[object, object], tmp_path: Path
) -> None:
    english, spanish = translators
    flows = load_flows(FLOWS).flows
    missing = availability()
    assert isinstance(missing, Unavailable)
    assert "textstat" in missing.reason and "editor" in missing.reason
    assert measure_if_available(flows, english, spanish, tmp_path) == missing  # type: ignore[arg-type]
    with pytest.raises(ReadabilityUnavailable, match="not available"):
        measure(flows, english, spanish, tmp_path)  # type: ignore[arg-type]


@pytest.mark.usefixtures("without_textstat")
def test_the_readability_command_says_what_is_missing() -> None:
    result = CliRunner().invoke(app, ["readability", str(REPO_ROOT)])
    assert result.exit_code == 1
    assert "readability is not available: textstat not installed" in result.output


def test_nltk_reads_the_dictionary_from_the_data_folder(
    translators: tuple[object, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nltk  # type: ignore[import-untyped]

    # Forget copies other tests made in their own data folders.
    monkeypatch.setattr(nltk.data, "path", [p for p in nltk.data.path if "cmudict-" not in p])
    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        pass
    else:
        pytest.skip("this machine has NLTK's own cmudict, so none is written")
    english, spanish = translators
    scores = measure_if_available(load_flows(FLOWS).flows, english, spanish, tmp_path)  # type: ignore[arg-type]
    assert isinstance(scores, list) and scores
    copies = list((tmp_path / "nltk").glob("cmudict-*/corpora/cmudict/cmudict"))
    assert len(copies) == 1 and copies[0].stat().st_size > 1_000_000
    assert nltk.data.path[0] == str(copies[0].parents[2])
