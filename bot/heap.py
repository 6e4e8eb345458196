"""Keep the content in service out of the garbage collector's full passes.

The content a worker serves (flows, catalogs, the classifier's vocabularies and weights: about
150,000 objects the collector tracks) lives as long as the process, yet every full collection
walks all of it. Measured with the trained matcher alone in one process: 85 ms a pass on a
quiet machine, and 0.6–0.7 s were seen under load (issue 11): every person being answered at
that moment waits for it, a p99 spike. ``gc.freeze()`` moves every object alive into a
permanent generation that collections skip, CPython's own advice for a long-lived heap built at
start-up. ``settle`` is called once the service's content and classifier are in service, and
again after each reload: the content it replaced may hold reference cycles that only the
collector frees, so the heap is unfrozen and collected once, then frozen again.
"""

from __future__ import annotations

import gc
import logging
import time

__all__ = ["settle"]

log = logging.getLogger(__name__)


def settle() -> None:
    """Collect what the last content left, then freeze everything alive (see the module)."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    log.info(
        "heap settled: %d objects kept out of garbage collection (%.0f ms)",
        gc.get_freeze_count(),
        (time.perf_counter() - started) * 1000,
    )
