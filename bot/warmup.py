"""Slow start-up work done once the service answers: the classifier, dateparser's data.

Started at the end of the lifespan's start-up, just before uvicorn opens its port, in daemon
threads (never on the event loop): the first person's answer does not wait for seconds of
training or for a second of dateparser's language data. Nor does it share the CPU with them:
the threads hold back until the first POST (a turn, on any channel) has been answered
(``AfterFirstAnswer``), or ``FIRST_ANSWER_WAIT_SECONDS`` when nobody writes; loading a trained
model (numpy) and dateparser's data would otherwise take the GIL from that answer just as the
port opens. Until the classifier is installed,
typed text is answered by danger phrases and fuzzy keywords (``bot.nlu.standby``). The threads
are daemons and the training child is ended when the service stops, so a stop never waits for
a training that no one will use.
"""

from __future__ import annotations

import logging
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from bot.content import ContentHolder
from bot.heap import settle

__all__ = ["FIRST_ANSWER_WAIT_SECONDS", "AfterFirstAnswer", "Warmup"]

log = logging.getLogger(__name__)

FIRST_ANSWER_WAIT_SECONDS = 2.0
"""The warm-up starts at the latest this long after the service started, answered or not."""


class Warmup:
    """Trains the content's classifier and loads dateparser's data in the background."""

    def __init__(self, holder: ContentHolder, delay: float = 0.0) -> None:
        self.holder = holder
        self.delay = delay
        """Seconds to wait before starting (``NLU_TRAIN_DELAY_SECONDS``)."""
        self.cancelled = threading.Event()
        self.go = threading.Event()
        """Set by the first answer (``release``), or by ``stop``."""
        self.done = threading.Event()
        """Set when the classifier is in service, or when training gave up."""
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start both threads; returns at once."""
        for name, target in (
            ("helpline-nlu-training", self._train),
            ("helpline-date-warm-up", self._dates),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            self._threads.append(thread)
            thread.start()

    def release(self) -> None:
        """The first answer is out: the warm-up may take the CPU now."""
        self.go.set()

    def stop(self) -> None:
        """Give up what is not done (the training child is ended; see ``bot.nlu.prefit``)."""
        self.cancelled.set()
        self.go.set()

    def _held_back(self) -> bool:
        """Wait for ``delay``, then for the first answer (at most ``FIRST_ANSWER_WAIT_SECONDS``
        from the start); True when the service stopped meanwhile."""
        started = time.monotonic()
        if self.cancelled.wait(self.delay):
            return True
        self.go.wait(max(0.0, FIRST_ANSWER_WAIT_SECONDS - (time.monotonic() - started)))
        return self.cancelled.is_set()

    def _train(self) -> None:
        try:
            if self._held_back():
                return
            started = time.perf_counter()
            if self.holder.classifier_ready:
                return
            if self.holder.train(self.cancelled):
                log.info(
                    "classifier in service after %.0f ms in the background "
                    "(the keyword matcher answered until now)",
                    (time.perf_counter() - started) * 1000,
                )
        except Exception:  # the keyword matcher keeps answering
            log.exception("training the classifier failed: the keyword matcher keeps answering")
        finally:
            if not self.cancelled.is_set():
                settle()  # the content and its classifier live as long as the process
            self.done.set()

    def _dates(self) -> None:
        from bot.actions.deadline import warm_up

        if self._held_back():
            return
        try:
            warm_up(self.holder.current.localizer.locales)
        except Exception:  # noqa: BLE001 - the calculator loads the data itself when asked
            log.warning("dateparser warm-up failed; the date calculator loads it when used")


class AfterFirstAnswer:
    """ASGI middleware: releases the runtime's warm-up once the first POST has been answered.

    A POST is a person's turn on every channel (the Telegram and WhatsApp webhooks, the web
    chat's form); health checks and page loads are GETs and do not count. The runtime is looked
    up on the app's state because the middleware is built before the lifespan starts it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.released = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; after the first answered POST, release the warm-up."""
        await self.app(scope, receive, send)
        if self.released or scope["type"] != "http" or scope["method"] != "POST":
            return
        warmup = getattr(getattr(scope["app"].state, "runtime", None), "warmup", None)
        if isinstance(warmup, Warmup):
            warmup.release()
            self.released = True
