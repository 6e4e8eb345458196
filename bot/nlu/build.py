"""Build the service's matcher from loaded content, turning bad NLU files into content errors.

``bot.content`` calls ``build_matcher`` at start and on every reload: a danger or off-topic file
that cannot be used raises ``ContentError`` with its file and line, so the last good content (and
its matcher) stays in service, exactly as for a broken flow file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engine.loader import Problem
from bot.engine.model import Flows
from bot.engine.types import Localizer
from bot.errors import ContentError

if TYPE_CHECKING:
    from bot.nlu.matcher import TextMatcher

__all__ = ["build_matcher"]

log = logging.getLogger(__name__)


def build_matcher(
    flows: Flows,
    languages: Sequence[str],
    flows_dir: Path | None = None,
    localizer: Localizer | None = None,
    cache_dir: Path | None = None,
) -> TextMatcher:
    """The trained ``TextMatcher`` for this content (see ``bot.nlu.matcher``)."""
    from bot.nlu.danger import PatternError
    from bot.nlu.matcher import TextMatcher, catalog_texts
    from bot.nlu.offtopic import OfftopicError

    started = time.perf_counter()
    translations = catalog_texts(flows, localizer) if localizer is not None else None
    try:
        matcher = TextMatcher.from_flows(
            flows, languages, flows_dir=flows_dir, translations=translations, cache_dir=cache_dir
        )
    except PatternError as exc:
        file, _, line = exc.where.partition(":")
        problem = Problem(file, int(line) if line.isdigit() else 1, "", exc.message)
        raise ContentError("the danger phrases cannot be used", [problem]) from exc
    except OfftopicError as exc:
        raise ContentError(
            "the off-topic examples cannot be used", [Problem("", 1, "", str(exc))]
        ) from exc
    log.info(
        "matcher ready: %d labels, %.0f ms",
        len(matcher.classifier.labels),
        (time.perf_counter() - started) * 1000,
    )
    return matcher
