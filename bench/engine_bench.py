"""How fast the pure engine answers, and how much memory the loaded content takes.

Baseline: copying a conversation state (the least work any turn does), measured in the same run,
so the ratio says how much the engine adds on this machine today.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

from bot.content import Content, load_content
from bot.engine.model import Button, Flows, Message, Node
from bot.engine.runner import advance
from bot.engine.types import ConversationState, Event
from bot.settings import get_settings

SCRIPT = [
    Event.typed("/start", "es-MX"),
    Event.pressed("nav:menu"),
    Event.pressed("b:main:asylum"),
    Event.pressed("nav:back"),
    Event.pressed("b:main:protections"),
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
    scaling(content)


def generated(flows: Flows, count: int) -> Flows:
    """The real content plus ``count`` generated screens, chained by buttons."""
    nodes = dict(flows.nodes)
    for number in range(count):
        nodes[f"gen_{number}"] = Node(
            id=f"gen_{number}",
            title=f"Generated {number}",
            messages=[Message(text=f"Generated screen {number}.")],
            buttons=[
                Button(label="Next", goto=f"gen_{(number + 1) % count}"),
                Button(label="Other", goto=f"gen_{(number * 7 + 3) % count}"),
            ],
        )
    return Flows(nodes=nodes, sources=flows.sources)


def scaling(content: Content) -> None:
    """µs per turn with 100, 1,000 and 10,000 generated nodes: it should stay flat."""
    print("  engine alone, µs per turn (button presses walking generated screens):")
    for count in (100, 1_000, 10_000):
        flows = generated(content.flows, count)
        state: ConversationState | None = ConversationState(locale="es", node="gen_0")
        events = [Event.pressed(f"b:gen_{i % count}:{i % 2}") for i in range(2000)]
        start = time.perf_counter()
        for event in events:
            state, _ = advance(flows, state, event, content.localizer, content.services)
        micro = (time.perf_counter() - start) / len(events) * 1e6
        print(f"    {count:>6,} generated nodes: {micro:7.1f} µs per turn")


if __name__ == "__main__":
    main()
