"""Build the directory the engine uses, and check the national screen against its data.

``build_directory`` is what ``bot.content.build_services`` calls on every content load: it reads
``flows/legal_aid/``, refuses a directory with errors (``ContentError``, so a reload keeps the
last good content) and takes the ages of ``LEGAL_AID_WARN_DAYS`` / ``LEGAL_AID_HIDE_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from babel import Locale

from bot.directory.loader import NATIONAL_FILE, Entry, Problem, load_directory_data, problem
from bot.directory.model import NationalResource, format_phone
from bot.directory.search import Directory
from bot.engine.model import Flows
from bot.engine.types import Localizer
from bot.errors import ContentError
from bot.i18n.catalogs import SOURCE_LANGUAGE

__all__ = ["NATIONAL_NODE", "build_directory", "check_national_text"]

NATIONAL_NODE = "legal_aid_national"
"""The screen of ``flows/legal_aid.yaml`` that quotes the national resources people always see."""


def build_directory(
    folder: Path,
    warn_days: int,
    hide_days: int,
    clock: Callable[[], dt.date] = dt.date.today,
) -> Directory:
    """The in-memory directory of ``folder``; ``ContentError`` when its files have errors."""
    data = load_directory_data(folder, clock(), warn_days, hide_days)
    if data.errors:
        raise ContentError(f"{len(data.errors)} legal-aid directory error(s)", data.errors)
    return Directory(data.providers, data.national, warn_days, hide_days, clock)


def check_national_text(
    entries: Sequence[Entry[NationalResource]],
    flows: Flows,
    localizer: Localizer,
    file: str = f"flows/legal_aid/{NATIONAL_FILE}",
) -> list[Problem]:
    """Every shown resource's phone and web address appear, exactly, on the national screen.

    Checked in English and in every translation: a translator who mistypes a number in the
    ``.po`` file would otherwise send people to a wrong line.
    """
    node = flows.get(NATIONAL_NODE)
    if node is None:
        message = f'the screen "{NATIONAL_NODE}" is missing from flows/legal_aid.yaml'
        return [problem(file, 1, "", message, kind="resource")]
    problems: list[Problem] = []
    for locale in localizer.locales:
        translator = localizer.translator(locale)
        text = "\n".join(translator.gettext(m.text) for m in node.messages)
        where = f'the screen "{NATIONAL_NODE}"'
        if locale != SOURCE_LANGUAGE:
            where = f"the {Locale.parse(locale).english_name} translation of {where}"
        for entry in entries:
            resource = entry.item
            if not resource.shown:
                continue
            quoted = [("phone", format_phone(resource.phone))] if resource.phone else []
            quoted += [("website", resource.website)] if resource.website else []
            for name, value in quoted:
                if value not in text:
                    message = f"{where} does not quote {value}; write it there exactly like this"
                    line = entry.line_of(name)
                    problems.append(problem(file, line, resource.id, message, kind="resource"))
    return problems
