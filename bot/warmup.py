"""Slow start-up work done once the service answers: the classifier, dateparser's data.

Started at the end of the lifespan's start-up, just before uvicorn opens its port, in daemon
threads (never on the event loop): the first person's answer does not wait for seconds of
training or for a second of dateparser's language data. Until the classifier is installed,
typed text is answered by danger phrases and fuzzy keywords (``bot.nlu.standby``). The threads
are daemons and the training child is ended when the service stops, so a stop never waits for
a training that no one will use.
"""

from __future__ import annotations

import logging
import threading
import time

from bot.content import ContentHolder

__all__ = ["Warmup"]

log = logging.getLogger(__name__)


class Warmup:
    """Trains the content's classifier and loads dateparser's data in the background."""

    def __init__(self, holder: ContentHolder, delay: float = 0.0) -> None:
        self.holder = holder
        self.delay = delay
        """Seconds to wait before starting (``NLU_TRAIN_DELAY_SECONDS``)."""
        self.cancelled = threading.Event()
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

    def stop(self) -> None:
        """Give up what is not done (the training child is ended; see ``bot.nlu.prefit``)."""
        self.cancelled.set()

    def _train(self) -> None:
        try:
            if self.cancelled.wait(self.delay):
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
            self.done.set()

    def _dates(self) -> None:
        from bot.actions.deadline import warm_up

        if self.cancelled.wait(self.delay):
            return
        try:
            warm_up(self.holder.current.localizer.locales)
        except Exception:  # noqa: BLE001 - the calculator loads the data itself when asked
            log.warning("dateparser warm-up failed; the date calculator loads it when used")
