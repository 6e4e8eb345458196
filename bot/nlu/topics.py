"""Which topic a node belongs to, for evaluation and for weighing evidence across a topic.

The topics are the fixed node ids the content is organised around (``asylum``, ``court``, ...).
A node belongs to a topic when:

1. it is the topic's own node (``asylum``);
2. otherwise its id starts with the topic id and an underscore, the longest such topic winning
   (``asylum_grounds`` → ``asylum``; ``legal_aid_texas`` → ``legal_aid``, not ``legal``);
3. otherwise it is reached by buttons from the topic's node without passing through another
   topic or the main menu (the first topic, in the order below, to reach it);
4. otherwise it is a topic of its own (its own id).
"""

from __future__ import annotations

from collections import deque

from bot.engine.model import Flows

__all__ = ["TOPICS", "topic_map"]

TOPICS: tuple[str, ...] = (
    "welcome",
    "main",
    "emergency",
    "danger_check",
    "about",
    "help",
    "asylum",
    "withholding",
    "cat",
    "admin_closure",
    "compare",
    "screener",
    "deadline",
    "court",
    "safety",
    "legal_aid",
    "leave",
    "appeal",
    "detained_relative",
    "address_change",
    "interpreter",
    "profiles",
    "grant_rates",
)
"""Topic ids fixed by the content plan; evaluation labels use these."""


def topic_map(flows: Flows) -> dict[str, str]:
    """Every node id of ``flows`` mapped to its topic id (see the module docstring)."""
    roots = [t for t in TOPICS if t in flows.nodes]
    result: dict[str, str] = {root: root for root in roots}
    for node_id in flows.nodes:
        if node_id in result:
            continue
        prefixes = [r for r in roots if node_id.startswith(r + "_")]
        if prefixes:
            result[node_id] = max(prefixes, key=len)
    for root in roots:
        if root in ("main", "welcome"):
            continue
        queue, seen = deque([root]), {root}
        while queue:
            node = flows.nodes[queue.popleft()]
            for button in node.buttons:
                target = button.goto
                if target in seen or target not in flows.nodes:
                    continue
                seen.add(target)
                if target not in result:
                    result[target] = root
                if result[target] == root:
                    queue.append(target)
    for node_id in flows.nodes:
        result.setdefault(node_id, node_id)
    return result
