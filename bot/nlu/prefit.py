"""Train the classifier in a child process that writes it to the model cache, then exits.

The service only ever *loads* trained models (plain arrays, ``bot.nlu.classifier``): fitting them
needs scikit-learn and SciPy, about 100 MB of memory and seconds of CPU that would share the
service's GIL with the event loop. A child process (``spawn``: a clean interpreter, no copy of the
service's sockets or threads) fits both models into ``DATA_DIR/nlu-cache`` and exits, taking that
memory with it; the service then loads the models from the cache as after a restart. Should the
child fail (no process may be started here, no cache folder can be written), ``build_matcher``
trains in the service process as before: slower, never wrong.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from bot.engine.model import Flows

__all__ = ["TrainingCancelled", "fit_in_child"]

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
CHILD_NICE = 5
"""The child yields the CPU to the service: people's answers come before the classifier."""


class TrainingCancelled(Exception):
    """The service stopped while the child trained: nothing is to be trained here instead."""


def fit_in_child(
    flows: Flows,
    languages: Sequence[str],
    flows_dir: Path | None,
    cache_dir: Path,
    cancelled: threading.Event | None = None,
) -> bool:
    """Fit this content's models into ``cache_dir`` in a child process; True when it did.

    Blocks the calling thread (never the event loop's) until the child ends; ``cancelled``
    (the service stopping) ends the child early and raises ``TrainingCancelled``.
    """
    context = multiprocessing.get_context("spawn")
    try:
        child = context.Process(
            target=_fit,
            args=(flows, list(languages), flows_dir, cache_dir),
            name="helpline-nlu-training",
            daemon=True,
        )
        child.start()
    except (OSError, AssertionError, RuntimeError) as exc:  # e.g. a daemonic parent
        log.warning("could not start the training process (%s): training here", exc)
        return False
    while child.is_alive():
        child.join(POLL_SECONDS)
        if cancelled is not None and cancelled.is_set():
            child.terminate()
            child.join()
            raise TrainingCancelled
    if child.exitcode != 0:
        log.warning("the training process failed (exit code %s): training here", child.exitcode)
    return child.exitcode == 0


def _fit(flows: Flows, languages: list[str], flows_dir: Path | None, cache_dir: Path) -> None:
    """In the child: train both models; ``train_cached`` writes them to ``cache_dir``."""
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICE)
    from bot.nlu.matcher import TextMatcher

    TextMatcher.from_flows(flows, languages, flows_dir=flows_dir, cache_dir=cache_dir)
