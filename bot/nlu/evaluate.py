"""Measure the matcher on a labelled set: accuracy, confusion between topics, false matches.

The set is a TSV file with a header row ``text  lang  expected  split``:

* ``text``: the message as a person would type it;
* ``lang``: ``es``, ``en`` or ``mix`` (Spanish and English mixed); the message is matched with
  this locale (``es`` for ``mix``), and language identification is scored on ``es``/``en`` rows;
* ``expected``: the topic id (``asylum``, ``court``...; see ``bot.nlu.topics``), ``emergency``
  for danger, ``-`` for an off-topic message that should match nothing. When two screens of
  different topics both answer the question, alternatives are separated by ``|``, each a
  topic id or an exact node id (``deadline|asylum_deadline_info``: the deadline topic, or the
  asylum screen on the one-year deadline, which links to it);
* ``split`` (optional): ``dev`` rows were used to tune thresholds, ``held`` rows were not.

A predicted node counts for its topic (``asylum_grounds`` → ``asylum``). "Top-1" is the best
guess: the chosen node, or the first "Did you mean" candidate when the matcher is unsure.
"Direct" counts only confident answers. An off-topic row is a false match when the matcher
offers any node or candidate. Danger rows must reach the emergency node with ``danger`` set.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.types import Match
from bot.nlu.matcher import EMERGENCY, KeywordMatcher

__all__ = ["OFF_TOPIC", "Result", "Row", "Score", "evaluate", "format_report", "read_rows"]

OFF_TOPIC = "-"
NONE = "(none)"


@dataclass(frozen=True)
class Row:
    """One labelled message."""

    text: str
    lang: str
    expected: str
    split: str = "dev"

    @property
    def topic(self) -> str:
        """The main expected topic (the first alternative)."""
        return self.expected.split("|", 1)[0]

    def accepts(self, node: str | None, topic: str) -> bool:
        """Whether a guess (node and its topic; ``-`` for none) answers this row."""
        alternatives = self.expected.split("|")
        return topic in alternatives or (node is not None and node in alternatives)


@dataclass(frozen=True)
class Result:
    """What the matcher did with one row, reduced to topics."""

    row: Row
    match: Match
    guess: str
    """Topic of the best guess (node or first candidate), ``-`` for nothing."""
    direct: str
    """Topic of the confident node, ``-`` when the matcher gave candidates or nothing."""
    offered: tuple[str, ...]
    """Topics offered at all (node and candidates)."""
    right: bool
    """The best guess answers the row."""
    right_direct: bool
    """A confident node answers the row."""
    right_offered: bool
    """The node or one of the candidates answers the row."""


@dataclass
class Score:
    """Figures for one group of rows."""

    results: list[Result] = field(default_factory=list)

    def _rows(self, on_topic: bool | None = None) -> list[Result]:
        if on_topic is None:
            return self.results
        return [r for r in self.results if (r.row.topic != OFF_TOPIC) == on_topic]

    @staticmethod
    def _rate(hits: int, total: int) -> float:
        return hits / total if total else 0.0

    @property
    def top1(self) -> float:
        """Best guess right, over every row (off-topic rows are right when nothing is offered)."""
        return self._rate(sum(r.right for r in self.results), len(self.results))

    @property
    def direct(self) -> float:
        """Confident answer right, over every row."""
        return self._rate(sum(r.right_direct for r in self.results), len(self.results))

    @property
    def offered(self) -> float:
        """Expected topic among the node and candidates, over on-topic rows."""
        rows = self._rows(on_topic=True)
        return self._rate(sum(r.right_offered for r in rows), len(rows))

    @property
    def false_matches(self) -> float:
        """Off-topic rows that were offered any node or candidate."""
        rows = self._rows(on_topic=False)
        return self._rate(sum(bool(r.offered) for r in rows), len(rows))

    @property
    def danger(self) -> float:
        """Danger rows routed to the emergency node with ``danger`` set."""
        rows = [r for r in self.results if r.row.topic == EMERGENCY]
        hits = sum(r.match.danger and r.match.node == EMERGENCY for r in rows)
        return self._rate(hits, len(rows))

    @property
    def false_alarms(self) -> float:
        """Non-danger rows that were sent to the emergency node as danger."""
        rows = [r for r in self.results if r.row.topic != EMERGENCY]
        return self._rate(sum(r.match.danger for r in rows), len(rows))

    @property
    def language(self) -> tuple[float, float]:
        """Language identification on ``es``/``en`` rows: (right, wrong) shares; the rest
        said "not sure"."""
        rows = [r for r in self.results if r.row.lang in ("es", "en")]
        right = sum(r.match.language == r.row.lang for r in rows)
        wrong = sum(r.match.language not in (None, r.row.lang) for r in rows)
        return self._rate(right, len(rows)), self._rate(wrong, len(rows))

    def confusion(self) -> Counter[tuple[str, str]]:
        """(expected, best guess) counts for every wrong best guess."""
        return Counter((r.row.topic, r.guess) for r in self.results if not r.right)


def read_rows(path: Path) -> list[Row]:
    """The labelled rows of a TSV file (see the module docstring)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Row(
                text=row["text"],
                lang=(row.get("lang") or "es").strip(),
                expected=(row.get("expected") or OFF_TOPIC).strip(),
                split=(row.get("split") or "dev").strip(),
            )
            for row in reader
            if row.get("text")
        ]


def evaluate(matcher: KeywordMatcher, rows: Iterable[Row]) -> Score:
    """Run the matcher on every row."""
    score = Score()
    for row in rows:
        locale = row.lang if row.lang in matcher.languages else matcher.languages[0]
        found = matcher.match(row.text, locale)
        nodes = ([found.node] if found.node else []) + list(found.candidates)
        topic_of = {n: matcher.topics.get(n, n) for n in nodes}
        topics = tuple(dict.fromkeys(topic_of.values()))
        first = nodes[0] if nodes else None
        guess = topic_of[first] if first else OFF_TOPIC
        direct = topic_of[found.node] if found.node else OFF_TOPIC
        if row.topic == OFF_TOPIC:
            right = right_direct = right_offered = not nodes
        else:
            right = row.accepts(first, guess)
            right_direct = found.node is not None and row.accepts(found.node, direct)
            right_offered = any(row.accepts(n, topic_of[n]) for n in nodes)
        score.results.append(
            Result(row, found, guess, direct, topics, right, right_direct, right_offered)
        )
    return score


def format_report(
    score: Score, splits: Sequence[str] = ("dev", "held"), misses_of: Sequence[str] = ("dev",)
) -> str:
    """The figures for all rows and for each split, the confusion table, then the misses of
    the ``misses_of`` splits only: held-out rows stay unseen while thresholds are tuned."""
    lines: list[str] = []
    groups: list[tuple[str, Score]] = [("all", score)]
    for split in splits:
        part = Score([r for r in score.results if r.row.split == split])
        if part.results:
            groups.append((split, part))
    header = f"{'rows':<6}{'n':>5}{'top-1':>8}{'direct':>8}{'offered':>9}{'off-topic FM':>14}"
    header += f"{'danger':>8}{'false alarm':>13}{'lang ok':>9}{'lang wrong':>12}"
    lines.append(header)
    for name, part in groups:
        right, wrong = part.language
        lines.append(
            f"{name:<6}{len(part.results):>5}{part.top1:>8.1%}{part.direct:>8.1%}"
            f"{part.offered:>9.1%}{part.false_matches:>14.1%}{part.danger:>8.1%}"
            f"{part.false_alarms:>13.1%}{right:>9.1%}{wrong:>12.1%}"
        )
    lines.append("")
    lines.append("confusion (expected -> best guess), wrong guesses only:")
    for (expected, guess), count in sorted(score.confusion().items(), key=lambda i: -i[1]):
        lines.append(f"  {expected:<14} -> {guess:<14} {count}")
    lines.append("")
    lines.append(f"misses ({', '.join(misses_of)} rows):")
    for result in score.results:
        if not result.right and result.row.split in misses_of:
            found = result.match
            shown = found.node or ",".join(found.candidates) or NONE
            lines.append(
                f"  [{result.row.split}] {result.row.text!r}: expected {result.row.expected},"
                f" got {shown} ({found.confidence:.2f})"
            )
    return "\n".join(lines)
