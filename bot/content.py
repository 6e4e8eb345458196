"""The content the helpline serves: flows, languages and the services built from them.

``ContentHolder`` keeps the last content that loaded without errors. A reload that fails leaves
the working content in place, so an editor's mistake never reaches people.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import bot.actions  # noqa: F401 - registers the built-in actions
from bot.engine.loader import load_flows
from bot.engine.model import Flows
from bot.engine.types import Matcher, Services
from bot.engine.validate import ValidationConfig, rerouted_buttons, validate_content
from bot.errors import ContentError
from bot.i18n.catalogs import DEFAULT_MIN_COVERAGE, BabelLocalizer, load_localizer

if TYPE_CHECKING:
    from bot.engine.loader import Problem
    from bot.settings import Settings

__all__ = ["Content", "ContentHolder", "build_services", "load_content"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Content:
    """One consistent version of the content."""

    flows: Flows
    localizer: BabelLocalizer
    services: Services


def build_services(
    flows: Flows,
    languages: list[str],
    flows_dir: Path | None = None,
    *,
    legal_aid_warn_days: int = 180,
    legal_aid_hide_days: int = 365,
    localizer: BabelLocalizer | None = None,
    nlu_cache: Path | None = None,
    train: bool = True,
    fit_in_child: bool = False,
) -> Services:
    """The optional engine helpers (free-text matcher, legal-aid directory) for this content.

    The directory comes from ``flows_dir / "legal_aid"``; its errors raise ``ContentError`` like
    flow errors, so a reload with a broken directory keeps the last good content. The matcher is
    trained here (``bot.nlu.matcher``), so every good reload trains it on the new examples; a
    broken danger or off-topic file raises ``ContentError`` too. ``train=False`` puts the
    keyword matcher in its place for now (``bot.nlu.standby``): ``ContentHolder.train``
    installs the classifier later; ``fit_in_child`` fits it in a child process
    (``bot.nlu.prefit``).
    """
    from bot.directory.service import build_directory

    directory = None
    if flows_dir is not None:
        directory = build_directory(
            flows_dir / "legal_aid", legal_aid_warn_days, legal_aid_hide_days
        )
    from bot.nlu.build import build_matcher, standby_matcher

    matcher: Matcher
    if train:
        matcher = build_matcher(
            flows, languages, flows_dir, localizer, nlu_cache, fit_in_child=fit_in_child
        )
    else:
        matcher = standby_matcher(flows, languages, flows_dir)
    return Services(
        matcher=matcher,
        directory=directory,
        extras={"today": dt.date.today},  # the engine's clock, for dated notices
    )


def load_content(
    flows_dir: Path,
    locales_dir: Path,
    languages: list[str],
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    *,
    legal_aid_warn_days: int = 180,
    legal_aid_hide_days: int = 365,
    nlu_cache: Path | None = None,
    train: bool = True,
    fit_in_child: bool = False,
) -> Content:
    """Load and check content; raise ``ContentError`` listing every error when it is unusable
    (``train`` and ``fit_in_child``: see ``build_services``)."""
    result = load_flows(flows_dir)
    if result.errors:
        raise ContentError(f"{len(result.errors)} content error(s)", result.errors)
    localizer = load_localizer(locales_dir, languages, min_coverage)
    services = build_services(
        result.flows,
        localizer.locales,
        flows_dir,
        legal_aid_warn_days=legal_aid_warn_days,
        legal_aid_hide_days=legal_aid_hide_days,
        localizer=localizer,
        nlu_cache=nlu_cache,
        train=train,
        fit_in_child=fit_in_child,
    )
    return Content(result.flows, localizer, services)


class _AidDays(TypedDict):
    legal_aid_warn_days: int
    legal_aid_hide_days: int


class ContentHolder:
    """Serves the current content; ``reload`` swaps it only when the new content is good.

    ``train_in_background=True`` (the service) loads the content with the keyword matcher and
    leaves the classifier to ``train``, called off the event loop once the port is open; a
    reload still trains before it swaps (in a child process), so the content in service keeps
    its classifier meanwhile. The default trains at once, as scripts and tests expect.
    """

    def __init__(
        self,
        flows_dir: Path,
        locales_dir: Path,
        languages: list[str],
        *,
        min_coverage: float = DEFAULT_MIN_COVERAGE,
        review_max_days: int = 180,
        legal_aid_warn_days: int = 180,
        legal_aid_hide_days: int = 365,
        nlu_cache: Path | None = None,
        train_in_background: bool = False,
    ) -> None:
        self.flows_dir = flows_dir
        self.locales_dir = locales_dir
        self.languages = languages
        self.min_coverage = min_coverage
        self.review_max_days = review_max_days
        self.legal_aid_days: _AidDays = {
            "legal_aid_warn_days": legal_aid_warn_days,
            "legal_aid_hide_days": legal_aid_hide_days,
        }
        self.nlu_cache = nlu_cache
        """Where trained classifiers are kept by content hash (``DATA_DIR/nlu-cache``)."""
        self.train_in_background = train_in_background
        self._reloading = threading.Lock()
        self.current = load_content(
            flows_dir,
            locales_dir,
            languages,
            min_coverage,
            **self.legal_aid_days,
            nlu_cache=nlu_cache,
            train=not train_in_background,
        )

    @classmethod
    def from_settings(cls, settings: Settings, *, service: bool = False) -> ContentHolder:
        """The holder for the configured folders, languages and content limits; the
        ``service``'s trains its classifier in the background when ``NLU_TRAIN_IN_BACKGROUND``
        says so."""
        return cls(
            settings.flows_dir,
            settings.locales_dir,
            settings.language_list,
            min_coverage=settings.language_min_coverage,
            review_max_days=settings.content_review_max_days,
            legal_aid_warn_days=settings.legal_aid_warn_days,
            legal_aid_hide_days=settings.legal_aid_hide_days,
            nlu_cache=settings.nlu_cache,
            train_in_background=service and settings.nlu_train_in_background,
        )

    @property
    def classifier_ready(self) -> bool:
        """Whether the content in service answers typed text with its trained classifier."""
        from bot.nlu.standby import LiveMatcher

        matcher = self.current.services.matcher
        return not isinstance(matcher, LiveMatcher) or matcher.ready.is_set()

    def train(self, cancelled: threading.Event | None = None) -> bool:
        """Train the classifier of the content in service and put it in (blocks: call it in a
        thread); True when it is in service. A reload meanwhile brings its own classifier."""
        from bot.nlu.build import build_matcher
        from bot.nlu.standby import LiveMatcher

        content = self.current
        live = content.services.matcher
        if not isinstance(live, LiveMatcher) or live.ready.is_set():
            return True
        from bot.nlu.prefit import TrainingCancelled

        try:
            matcher = build_matcher(
                content.flows,
                content.localizer.locales,
                self.flows_dir,
                content.localizer,
                self.nlu_cache,
                fit_in_child=True,
                cancelled=cancelled,
            )
        except TrainingCancelled:
            return False
        live.install(matcher)
        return True

    def check(self) -> list[Problem]:
        """The validator's errors for the files as they are now (warnings never block)."""
        config = ValidationConfig(
            today=dt.date.today(),
            review_max_days=self.review_max_days,
            min_coverage=self.min_coverage,
        )
        problems = validate_content(self.flows_dir, self.locales_dir, self.languages, config)
        return [p for p in problems if p.severity == "error"]

    def reload(self) -> list[object]:
        """Try to load the content again; keep the old one and return the problems on failure.

        The new content must pass the whole validator (translations included), not only load:
        content that fails validation never replaces content that works.
        """
        with self._reloading:
            return self._reload()

    def _reload(self) -> list[object]:
        try:
            errors = self.check()
            if errors:
                raise ContentError(f"{len(errors)} content error(s)", errors)
            previous = self.current
            self.current = load_content(
                self.flows_dir,
                self.locales_dir,
                self.languages,
                self.min_coverage,
                **self.legal_aid_days,
                nlu_cache=self.nlu_cache,
                fit_in_child=self.train_in_background,
            )
        except ContentError as exc:
            log.error("content reload refused, still serving the last good version: %s", exc)
            for problem in exc.problems:
                log.error("  %s", problem)
            return exc.problems
        log.info("content reloaded: %d nodes", len(self.current.flows.nodes))
        for problem in rerouted_buttons(previous.flows, self.current.flows):
            log.warning("  %s", problem)
        return []
