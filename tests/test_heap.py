"""The long-lived heap is kept out of full garbage collections (``bot.heap``)."""

from __future__ import annotations

import gc
import weakref

from bot.content import ContentHolder
from bot.heap import settle
from bot.settings import REPO_ROOT
from bot.warmup import Warmup


class _Node:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_settle_frees_old_cycles_and_freezes_what_is_alive() -> None:
    kept = _Node()
    old = _Node()
    gone = weakref.ref(old)
    del old
    gc.freeze()  # the content a reload replaces was frozen at the last settle
    settle()
    assert gone() is None, "a cycle frozen before the reload was not freed"
    assert gc.get_freeze_count() > 0
    assert kept.me is kept


def test_the_warm_up_settles_the_heap_once_the_classifier_is_in_service() -> None:
    holder = ContentHolder(REPO_ROOT / "flows", REPO_ROOT / "locales", ["es", "en"])
    gc.unfreeze()
    warmup = Warmup(holder)
    warmup.release()
    warmup.start()
    assert warmup.done.wait(120)
    assert holder.classifier_ready
    assert gc.get_freeze_count() > 0


def test_a_stopped_warm_up_does_not_settle() -> None:
    holder = ContentHolder(REPO_ROOT / "flows", REPO_ROOT / "locales", ["es", "en"])
    gc.unfreeze()
    warmup = Warmup(holder, delay=60)
    warmup.start()
    warmup.stop()
    assert warmup.done.wait(10)
    assert gc.get_freeze_count() == 0
