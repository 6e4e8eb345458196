"""Content for delivery tests: the real flows with one screen too long for one message."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.settings import REPO_ROOT

PARAGRAPHS = 2
"""The welcome screen gains two long paragraphs: together past Telegram's 4,096, each under."""


def _paragraph(number: int, spanish: bool) -> str:
    line = "Línea {} de una pantalla larga de prueba." if spanish else "Line {} of a long test."
    return " ".join(line.format(f"{number}.{i}") for i in range(60))


def long_welcome_content(folder: Path, paragraphs: int = PARAGRAPHS) -> tuple[Path, Path]:
    """Copy flows and locales into ``folder`` with a welcome screen of three messages' worth
    (rendered as two Telegram messages); return (flows dir, locales dir)."""
    flows, locales = folder / "flows", folder / "locales"
    shutil.copytree(REPO_ROOT / "flows", flows)
    shutil.copytree(REPO_ROOT / "locales", locales)
    main = flows / "main.yaml"
    text = main.read_text()
    extra = "".join(f'      - "{_paragraph(n, False)}"\n' for n in range(paragraphs))
    anchor = "      - Are you in danger right now?\n"
    assert anchor in text
    main.write_text(text.replace(anchor, extra + anchor, 1))
    po_path = locales / "es" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for n in range(paragraphs):
        catalog.add(_paragraph(n, False), _paragraph(n, True))
    with (po_path.with_suffix(".mo")).open("wb") as handle:
        write_mo(handle, catalog)
    from babel.messages.pofile import write_po

    with po_path.open("wb") as handle:
        write_po(handle, catalog)
    return flows, locales
