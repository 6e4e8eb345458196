"""``/metrics`` in Prometheus' text format, for ``bot.admin``: counters summed over days.

A module of its own, imported by the first scrape: prometheus_client is a tenth of a second of
a start that would otherwise pay for it before anyone scrapes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from bot.store.counters import CounterKey

__all__ = ["CONTENT_TYPE_LATEST", "exposition"]


class _CountersCollector(Collector):
    """Turns the counter rows into Prometheus metrics at scrape time (no state kept)."""

    def __init__(self, rows: list[tuple[CounterKey, int]], nodes: int, languages: int) -> None:
        self.rows = rows
        self.nodes = nodes
        self.languages = languages

    def collect(self) -> Iterator[Metric]:
        """Screens shown per channel, language and screen, summed over days; content size."""
        views = CounterMetricFamily(
            "helpline_screen_views",
            "Times a screen was shown, by channel, language and screen (no identities).",
            labels=["channel", "locale", "node"],
        )
        summed: dict[tuple[str, str, str], int] = defaultdict(int)
        for (_day, channel, locale, node), count in self.rows:
            summed[(channel, locale, node)] += count
        for labels, count in sorted(summed.items()):
            views.add_metric(list(labels), count)
        yield views
        yield GaugeMetricFamily(
            "helpline_content_nodes", "Screens in the content being served.", value=self.nodes
        )
        yield GaugeMetricFamily(
            "helpline_content_languages", "Languages in the language menu.", value=self.languages
        )


def exposition(rows: list[tuple[CounterKey, int]], nodes: int, languages: int) -> bytes:
    """The scrape's body (media type ``CONTENT_TYPE_LATEST``); nothing is kept between scrapes."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_CountersCollector(rows, nodes, languages))
    return bytes(generate_latest(registry))
