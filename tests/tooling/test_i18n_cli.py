"""``./helpline i18n ...`` on a temporary copy of the project (flows, locales, babel.cfg, bot/).

The commands run Babel's own frontend, so these tests check what an editor sees: the template
has every flow and interface string, updating keeps translators' work (and keeps the old
translation of changed English as an unchecked fuzzy suggestion), compiling yields a catalog gettext reads, and a new language joins the menu
only once it is translated enough.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po
from babel.support import Translations
from typer.testing import CliRunner

from bot.cli import app
from bot.i18n.catalogs import catalog_coverage, load_localizer
from tests.support.project import run_cli

NEW_NODE = """
  - id: tooling_test_node
    title: A screen added by the test
    messages:
      - This sentence was added by the test.
"""


def i18n(root: Path, *args: str) -> str:
    """Run one i18n command on the copy; fail the test with its output when it fails."""
    return run_cli("i18n", *args, "--root", str(root))


def read(path: Path, locale: str | None = None) -> dict[str, object]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {m.id: m for m in catalog if m.id}


def test_extract_collects_flow_and_interface_strings(project: Path) -> None:
    (project / "locales" / "messages.pot").unlink()
    i18n(project, "extract")
    template = read(project / "locales" / "messages.pot")
    assert "Main menu" in template  # a flow title
    assert "⬅ Back" in template  # an interface string marked with N_
    welcome = template["Main menu"]
    assert ("flows/main.yaml", welcome.locations[0][1]) == welcome.locations[0]  # type: ignore[attr-defined]
    assert "node main" in welcome.auto_comments  # type: ignore[attr-defined]


def test_update_adds_new_strings_and_keeps_translations(project: Path) -> None:
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    before = read(po_path, "es")
    kept = {msgid: m.string for msgid, m in before.items() if m.string and not m.fuzzy}  # type: ignore[attr-defined]
    with (project / "flows" / "main.yaml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_NODE)
    output = i18n(project, "update")
    after = read(po_path, "es")
    assert after["This sentence was added by the test."].string == ""  # type: ignore[attr-defined]
    assert after["A screen added by the test"].string == ""  # type: ignore[attr-defined]
    for msgid, string in kept.items():
        if msgid in after:
            assert after[msgid].string == string  # type: ignore[attr-defined]
    assert after["⬅ Back"].string == "⬅ Atrás"  # type: ignore[attr-defined]
    assert not [m for m in after.values() if m.fuzzy]  # type: ignore[attr-defined]
    assert output.splitlines()[0].split() == [
        "language",
        "translated",
        "%",
        "fuzzy",
        "untranslated",
        "menu",
    ]


def test_update_keeps_the_old_translation_of_changed_english_as_a_fuzzy_suggestion(
    project: Path,
) -> None:
    """The translator edits the old Spanish instead of starting over; people never see it."""
    path = project / "flows" / "main.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    title: Main menu\n" in text
    path.write_text(
        text.replace("    title: Main menu\n", "    title: Main menu of topics\n", 1),
        encoding="utf-8",
    )
    i18n(project, "update")
    after = read(project / "locales" / "es" / "LC_MESSAGES" / "messages.po", "es")
    changed = after["Main menu of topics"]
    assert changed.string == "Menú principal"  # type: ignore[attr-defined]
    assert changed.fuzzy  # type: ignore[attr-defined]
    po_text = (project / "locales" / "es" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    assert '#| msgid "Main menu"\nmsgid "Main menu of topics"' in po_text  # the old English
    i18n(project, "compile")
    translations = Translations.load(str(project / "locales"), ["es"], "messages")
    assert translations.gettext("Main menu of topics") == "Main menu of topics"


def test_compile_writes_a_catalog_gettext_reads(project: Path) -> None:
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    # Keep this test about compiling: leave out entries Babel's checks refuse (see test_validate).
    for message in list(catalog):
        if message.id and message.check(catalog):
            catalog.delete(message.id)
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    i18n(project, "compile")
    translations = Translations.load(str(project / "locales"), ["es"], "messages")
    assert translations.gettext("⬅ Back") == "⬅ Atrás"


def test_stats_prints_coverage_per_language(project: Path) -> None:
    output = i18n(project, "stats")
    coverage = catalog_coverage(project / "locales" / "es" / "LC_MESSAGES" / "messages.po")
    row = next(line for line in output.splitlines() if line.startswith("es "))
    assert f"{coverage.translated}/{coverage.total}" in row
    assert f"{coverage.ratio:.1%}" in row
    assert row.endswith("yes (LANGUAGES)")


def test_add_creates_a_catalog_that_joins_the_menu_when_translated_enough(project: Path) -> None:
    output = i18n(project, "add", "pt")
    po_path = project / "locales" / "pt" / "LC_MESSAGES" / "messages.po"
    assert po_path.exists()
    assert "created locales/pt/LC_MESSAGES/messages.po for Portuguese" in output
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="pt")
    assert str(catalog.locale) == "pt"
    assert load_localizer(project / "locales", ["es", "en"]).locales == ["es", "en"]

    ids = [m.id for m in catalog if m.id]
    for index, message in enumerate(m for m in catalog if m.id):
        if index < int(len(ids) * 0.95):
            message.string = f"PT {message.id}"
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    assert load_localizer(project / "locales", ["es", "en"]).locales == ["es", "en", "pt"]
    assert load_localizer(project / "locales", ["es", "en"], min_coverage=0.99).locales == [
        "es",
        "en",
    ]
    assert "yes (translated enough)" in i18n(project, "stats")


def test_add_refuses_english_an_unknown_code_and_an_existing_language(project: Path) -> None:
    runner = CliRunner()
    english = runner.invoke(app, ["i18n", "add", "en", "--root", str(project)])
    assert english.exit_code == 2
    assert "English is the source language" in english.output
    unknown = runner.invoke(app, ["i18n", "add", "zz-not-a-language", "--root", str(project)])
    assert unknown.exit_code == 2
    existing = runner.invoke(app, ["i18n", "add", "es", "--root", str(project)])
    assert existing.exit_code == 1
    assert "already exists" in existing.output


def test_a_folder_without_the_code_is_refused(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    result = CliRunner().invoke(app, ["i18n", "extract", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "has no bot/ folder" in result.output
