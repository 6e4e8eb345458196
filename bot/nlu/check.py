"""Warnings about the ``keywords`` editors write, in words an editor can act on.

Nothing here stops the helpline: a weak keyword only makes free text less well understood. The
checks catch what the matcher cannot use (a keyword that is only punctuation or only little
words such as "que es"), a language code that is not one, and the same keyword on screens of
different topics, which turns every message containing it into a "Did you mean" question.
``bot.engine.validate`` (or anyone) can add these to its report.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bot.engine.loader import Problem
from bot.engine.model import Flows, Node
from bot.nlu.normalize import normalize
from bot.nlu.stopwords import STOPWORDS
from bot.nlu.topics import topic_map

__all__ = ["keyword_problems"]

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _warning(node: Node, message: str) -> Problem:
    origin = node.origin
    file, line = (origin.file, origin.line) if origin else ("", 0)
    return Problem(file, line, node.id, message, severity="warning")


def keyword_problems(flows: Flows) -> list[Problem]:
    """Every keyword warning, sorted by file and line."""
    problems: list[Problem] = []
    topics = topic_map(flows)
    owners: dict[str, dict[str, Node]] = defaultdict(dict)
    for node in flows.nodes.values():
        for language, keywords in node.keywords.items():
            if not _LANGUAGE_CODE.match(language):
                problems.append(
                    _warning(node, f'keywords: "{language}" is not a language code (use es, en)')
                )
            for keyword in keywords:
                words = normalize(keyword).split()
                if not words:
                    problems.append(
                        _warning(node, f'keyword "{keyword}" has no letters or digits; remove it')
                    )
                    continue
                if all(w in STOPWORDS for w in words):
                    problems.append(
                        _warning(
                            node,
                            f'keyword "{keyword}" is made only of common little words and will '
                            "match many unrelated messages; add the word that names the topic",
                        )
                    )
                topic = topics.get(node.id, node.id)
                owners[" ".join(words)].setdefault(topic, node)
    for keyword, by_topic in owners.items():
        if len(by_topic) < 2:
            continue
        nodes = sorted(by_topic.values(), key=lambda n: n.id)
        others = ", ".join(n.id for n in nodes[1:])
        problems.append(
            _warning(
                nodes[0],
                f'keyword "{keyword}" is also a keyword of {others} (another topic): people '
                "who type it will be asked which one they mean",
            )
        )
    return sorted(problems)
