"""The content the helpline serves: flows, languages and the services built from them.

``ContentHolder`` keeps the last content that loaded without errors. A reload that fails leaves
the working content in place, so an editor's mistake never reaches people.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import bot.actions  # noqa: F401 - registers the built-in actions
from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.engine.types import Services
from bot.errors import ContentError
from bot.i18n.catalogs import BabelLocalizer, load_localizer

__all__ = ["Content", "ContentHolder", "build_services", "load_content"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Content:
    """One consistent version of the content."""

    flows: Flows
    localizer: BabelLocalizer
    services: Services


def build_services(flows: Flows, languages: list[str]) -> Services:
    """The optional engine helpers (free-text matcher, legal-aid directory) for this content."""
    return Services()


def load_content(flows_dir: Path, locales_dir: Path, languages: list[str]) -> Content:
    """Load and check content; raise ``ContentError`` listing every error when it is unusable."""
    result = load_flows(flows_dir)
    if result.errors:
        raise ContentError(f"{len(result.errors)} content error(s)", result.errors)
    localizer = load_localizer(locales_dir, languages)
    return Content(result.flows, localizer, build_services(result.flows, localizer.locales))


class ContentHolder:
    """Serves the current content; ``reload`` swaps it only when the new content is good."""

    def __init__(self, flows_dir: Path, locales_dir: Path, languages: list[str]) -> None:
        self.flows_dir = flows_dir
        self.locales_dir = locales_dir
        self.languages = languages
        self.current = load_content(flows_dir, locales_dir, languages)

    def reload(self) -> list[object]:
        """Try to load the content again; keep the old one and return the problems on failure."""
        try:
            self.current = load_content(self.flows_dir, self.locales_dir, self.languages)
        except ContentError as exc:
            log.error("content reload refused, still serving the last good version: %s", exc)
            for problem in exc.problems:
                log.error("  %s", problem)
            return exc.problems
        log.info("content reloaded: %d nodes", len(self.current.flows.nodes))
        return []
