"""Build the service's matcher from loaded content, turning bad NLU files into content errors.

``bot.content`` calls ``build_matcher`` (or, when the classifier trains in the background,
``standby_matcher`` first) at start and on every reload: a danger or off-topic file
that cannot be used raises ``ContentError`` with its file and line, so the last good content (and
its matcher) stays in service, exactly as for a broken flow file.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engine.loader import Problem
from bot.engine.model import Flows
from bot.engine.types import Localizer
from bot.errors import ContentError

if TYPE_CHECKING:
    from bot.nlu.matcher import TextMatcher
    from bot.nlu.standby import LiveMatcher

__all__ = ["build_matcher", "standby_matcher"]

log = logging.getLogger(__name__)


def build_matcher(
    flows: Flows,
    languages: Sequence[str],
    flows_dir: Path | None = None,
    localizer: Localizer | None = None,
    cache_dir: Path | None = None,
    *,
    fit_in_child: bool = False,
    cancelled: threading.Event | None = None,
) -> TextMatcher:
    """The trained ``TextMatcher`` for this content (see ``bot.nlu.matcher``).

    ``fit_in_child`` fits models missing from ``cache_dir`` in a child process first
    (``bot.nlu.prefit``), so this process only loads them and never imports scikit-learn.
    """
    from bot.nlu.matcher import TextMatcher, catalog_texts, is_trained

    started = time.perf_counter()
    translations = catalog_texts(flows, localizer) if localizer is not None else None
    with _as_content_errors():
        if (
            fit_in_child
            and cache_dir is not None
            and not is_trained(flows, flows_dir, None, cache_dir)
        ):
            from bot.nlu.prefit import fit_in_child as fit

            fit(flows, languages, flows_dir, cache_dir, cancelled)
        matcher = TextMatcher.from_flows(
            flows, languages, flows_dir=flows_dir, translations=translations, cache_dir=cache_dir
        )
    log.info(
        "matcher ready: %d labels, %.0f ms",
        len(matcher.classifier.labels),
        (time.perf_counter() - started) * 1000,
    )
    return matcher


def standby_matcher(
    flows: Flows, languages: Sequence[str], flows_dir: Path | None = None
) -> LiveMatcher:
    """The keyword matcher that answers until the classifier is installed (``bot.nlu.standby``).

    The danger and off-topic files are checked here, at load, as ``build_matcher`` would: a
    broken one is a content error now, not a failed training later.
    """
    from bot.nlu.offtopic import load_offtopic
    from bot.nlu.standby import LiveMatcher, StandbyMatcher

    with _as_content_errors():
        load_offtopic(flows_dir)
        return LiveMatcher(StandbyMatcher.from_flows(flows, languages, flows_dir))


@contextlib.contextmanager
def _as_content_errors() -> Iterator[None]:
    """Danger and off-topic file errors as ``ContentError`` with their file and line."""
    from bot.nlu.danger import PatternError
    from bot.nlu.offtopic import OfftopicError

    try:
        yield
    except PatternError as exc:
        file, _, line = exc.where.partition(":")
        problem = Problem(file, int(line) if line.isdigit() else 1, "", exc.message)
        raise ContentError("the danger phrases cannot be used", [problem]) from exc
    except OfftopicError as exc:
        raise ContentError(
            "the off-topic examples cannot be used", [Problem("", 1, "", str(exc))]
        ) from exc
