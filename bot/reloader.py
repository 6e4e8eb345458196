"""Reload content when an editor saves a file, or on ``SIGHUP``; started by the app's lifespan.

It polls file modification times rather than using inotify: polling works the same on bind
mounts, network drives and Docker volumes, where change notifications are often lost, and the
content is a few dozen files. A change is acted on once the files have stopped changing for one
interval, so a half-saved file is not read. ``ContentHolder.reload`` validates the new content
and keeps serving the last good version when it fails, so a mistake never reaches people.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.content import ContentHolder
from bot.heap import settle

__all__ = ["WATCHED_SUFFIXES", "snapshot", "watch_content"]

log = logging.getLogger(__name__)

WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".po"})
"""Files editors change. Compiled ``.mo`` files are written by the reload itself: not watched."""
SIGNAL_CHECK_SECONDS = 1.0

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: Sequence[Path]) -> Snapshot:
    """Modification time and size of every content file under ``paths``."""
    found: Snapshot = {}
    for root in paths:
        candidates = [root] if root.is_file() else root.rglob("*")
        for path in candidates:
            if path.suffix not in WATCHED_SUFFIXES or path.name.startswith("."):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted between listing and reading
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


async def watch_content(
    holder: ContentHolder,
    paths: Sequence[Path],
    stop_event: asyncio.Event,
    *,
    interval: float = 2.0,
    on_reload: Callable[[list[object]], None] | None = None,
) -> None:
    """Reload ``holder`` when files under ``paths`` change or the process gets ``SIGHUP``.

    Runs until ``stop_event`` is set. ``interval`` is the polling period in seconds (0 turns
    file polling off; ``SIGHUP`` still works). ``on_reload`` receives each reload's problems
    (empty when the new content is in service).
    """
    hangup = asyncio.Event()
    loop = asyncio.get_running_loop()
    listening = _listen_for_hangup(loop, hangup)
    polling = interval > 0
    tick = interval if polling else SIGNAL_CHECK_SECONDS
    last = await asyncio.to_thread(snapshot, paths) if polling else {}
    pending: Snapshot | None = None
    try:
        while not stop_event.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_event.wait(), timeout=tick)
            if stop_event.is_set():
                break
            reason = None
            if hangup.is_set():
                hangup.clear()
                reason = "SIGHUP"
            elif polling:
                current = await asyncio.to_thread(snapshot, paths)
                if current == last:
                    pending = None
                elif current != pending:
                    pending = current  # still changing: wait until it settles
                else:
                    reason = "content files changed"
            if reason is None:
                continue
            log.info("%s: reloading content", reason)
            problems = await asyncio.to_thread(holder.reload)
            if not problems:
                await asyncio.to_thread(settle)  # free the old content, freeze the new
            if polling:
                last = await asyncio.to_thread(snapshot, paths)
                pending = None
            if on_reload is not None:
                on_reload(problems)
    finally:
        if listening:
            loop.remove_signal_handler(signal.SIGHUP)


def _listen_for_hangup(loop: asyncio.AbstractEventLoop, hangup: asyncio.Event) -> bool:
    """Ask for ``SIGHUP`` to set ``hangup``; False where signals cannot be caught here."""
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:
        return False
    try:
        loop.add_signal_handler(sighup, hangup.set)
    except (NotImplementedError, RuntimeError, ValueError):
        log.info("SIGHUP reload is not available in this thread; file watching still works")
        return False
    return True
