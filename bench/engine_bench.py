"""How fast the pure engine answers, and how much memory the loaded content takes.

Baseline: copying a conversation state (the least work any turn does), measured in the same run,
so the ratio says how much the engine adds on this machine today.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

from bot.content import load_content
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event
from bot.settings import get_settings

SCRIPT = [
    Event.typed("/start", "es-MX"),
    Event.pressed("nav:menu"),
    Event.pressed("b:main:0"),
    Event.pressed("nav:back"),
    Event.pressed("b:main:1"),
    Event.typed("/menu"),
    Event.unsupported("sticker"),
    Event.pressed("b:gone:1"),
]


def per_second(function: Callable[[], None], seconds: float = 1.0) -> float:
    """Calls per second over about ``seconds``."""
    count = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        function()
        count += 1
    return count / elapsed


def main() -> None:
    """Print turns per second, the baseline and the ratio, and the content's memory."""
    settings = get_settings()
    tracemalloc.start()
    content = load_content(settings.flows_dir, settings.locales_dir, settings.language_list)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def walk() -> None:
        state: ConversationState | None = None
        for event in SCRIPT:
            state, _ = advance(content.flows, state, event, content.localizer, content.services)

    sample = ConversationState(locale="es", node="main", history=["welcome"], answers={"a": "b"})

    def baseline() -> None:
        for _ in SCRIPT:
            sample.model_copy(deep=True)

    turns = per_second(walk) * len(SCRIPT)
    base = per_second(baseline) * len(SCRIPT)
    print("engine")
    nodes = len(content.flows.nodes)
    print(
        f"  content: {nodes} nodes, {current / 1e6:.2f} MB held, {peak / 1e6:.2f} MB peak loading"
    )
    print(f"  advance(): {turns:,.0f} turns/s")
    print(f"  baseline state copy: {base:,.0f}/s; a turn costs {base / turns:.1f}x the baseline")


if __name__ == "__main__":
    main()
