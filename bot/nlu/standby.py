"""What answers typed text while the classifier trains, and the switch that swaps it in.

Training the classifier takes seconds (``bot.nlu.classifier``), far longer than the rest of a
start. The service does not make people wait for it (``NLU_TRAIN_IN_BACKGROUND``): until the
trained ``TextMatcher`` is ready, a ``StandbyMatcher`` answers, built in a fraction of a second
from what is already loaded:

1. **Danger first, always**: the content's danger phrases (``flows/nlu/danger.yaml`` and the
   built-in floor, the same ``DangerDetector`` the classifier's matcher uses) run before
   anything else. Fear alone ("tengo miedo") goes to its question screen, like any other hit:
   without the classifier a topic question that mentions fear cannot be told apart, and asking
   «¿Está en peligro?» once too often is the safe mistake.
2. **The fuzzy keyword matcher** (``bot.nlu.keywords``) for everything else: the matcher the
   helpline had before the classifier, weaker on whole sentences but never silent on keywords.

``LiveMatcher`` is what the engine holds: it answers with the standby matcher until ``install``
puts the trained one in, in one assignment, so a turn sees one matcher or the other, never a
mix.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engine.model import Flows
from bot.engine.types import Match, Matcher
from bot.nlu.danger import EMERGENCY, DangerDetector
from bot.nlu.keywords import MAX_LANGUAGE, MAX_SCAN, FuzzyMatcher
from bot.nlu.normalize import tokens

if TYPE_CHECKING:
    from bot.nlu.matcher import TextMatcher

__all__ = ["LiveMatcher", "StandbyMatcher"]


class StandbyMatcher:
    """Danger phrases, then fuzzy keywords; implements the engine's ``Matcher``.

    The danger phrases are compiled at once; the keyword tables (a tenth of a second of the
    start, most of this matcher) when the first typed text needs them. On a restart the trained
    classifier comes from the cache about a second after the first answer, usually before anyone
    has typed, and the keyword tables are then never built at all.
    """

    def __init__(
        self,
        danger: DangerDetector,
        keywords: Callable[[], FuzzyMatcher],
        nodes: Iterable[str],
    ) -> None:
        self.danger = danger
        self._build_keywords = keywords
        self.nodes = set(nodes)

    @functools.cached_property
    def keywords(self) -> FuzzyMatcher:
        """The fuzzy keyword matcher, built on first use, with the content's danger phrases."""
        keywords = self._build_keywords()
        keywords.danger = self.danger
        return keywords

    @classmethod
    def from_flows(
        cls, flows: Flows, languages: Sequence[str], flows_dir: Path | None = None
    ) -> StandbyMatcher:
        """Build from the flows' keywords and ``flows_dir``'s danger file (``PatternError``
        when that file cannot be used, as for the trained matcher)."""
        danger = DangerDetector.from_flows_dir(flows_dir)
        return cls(
            danger, functools.partial(FuzzyMatcher.from_flows, flows, languages), flows.nodes
        )

    def match(self, text: str, locale: str) -> Match:
        """The emergency (or fear) screen on a danger phrase, else what the keywords say."""
        scanned = tokens(text[:MAX_SCAN])
        if not scanned:
            return Match(node=None, confidence=0.0)
        hit = self.danger.find(scanned)
        if hit is not None:
            language = self.keywords.guesser.guess(text[:MAX_LANGUAGE], scanned)
            target = hit.goto if hit.goto in self.nodes else EMERGENCY
            return Match(node=target, confidence=1.0, language=language, danger=True)
        return self.keywords.match(text, locale)


class LiveMatcher:
    """The standby matcher until the trained one is installed; implements ``Matcher``."""

    def __init__(self, standby: StandbyMatcher) -> None:
        self.standby: StandbyMatcher | None = standby
        """Dropped once the trained matcher is in: its keyword tables are memory at rest."""
        self._active: Matcher = standby
        self.trained: TextMatcher | None = None
        """The classifier's matcher once installed (``None`` while it trains)."""
        self.ready = threading.Event()
        """Set when the trained matcher answers (tests and ``/readyz`` look at it)."""

    def match(self, text: str, locale: str) -> Match:
        """Whichever matcher is in service now answers (danger first in both)."""
        return self._active.match(text, locale)

    def install(self, trained: TextMatcher) -> None:
        """Put the trained matcher in service; turns already running finish with the old one."""
        self.trained = trained
        self._active = trained
        self.standby = None
        self.ready.set()
