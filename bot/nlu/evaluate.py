"""Measure the matcher on labelled messages: accuracy, buttons offered, danger, false alarms.

Two files, kept apart on purpose:

* ``tests/data/nlu_eval.tsv`` — the **dev** part: thresholds and settings are tuned on it, and
  ``nlu-eval`` lists its misses;
* ``tests/data/nlu_eval_held.tsv`` — the **held-out** part, written before any tuning and frozen:
  ``tests/nlu/test_heldout.py`` checks its SHA-256, so a change to it fails the suite, and
  ``nlu-eval`` prints only its figures, never its misses (``--held`` shows them, for after tuning).

Each file is a TSV with a header row ``text  lang  expected  split`` (the format of the labelled
messages the classifier learns from, ``bot.nlu.messages``, read by the same ``read_rows``):

* ``text``: the message as a person would type it;
* ``lang``: ``es``, ``en`` or ``mix`` (Spanish and English mixed); the message is matched with
  this locale (``es`` for ``mix``); language identification is scored on ``es``/``en`` rows;
* ``expected``: a topic id (``asylum``, ``court``...; see ``bot.nlu.topics``), ``emergency``
  for danger, ``danger_check`` for fear alone, ``-`` for a message that should match nothing.
  When two screens of different topics both answer, alternatives are separated by ``|``, each a
  topic id or an exact node id (``deadline|asylum_deadline_info``);
* ``split``: ``dev`` or ``held`` (it must agree with the file).

A predicted node counts for its topic (``asylum_grounds`` → ``asylum``). **Top-1** is the best
guess: the chosen node, or the first "Did you mean" button. **Offered** counts a row right when
its screen is the chosen node or one of the buttons (on-topic rows). **Danger recall**: emergency
rows that got the emergency screen as an alarm. **False danger**: other rows that got it.
**Off-topic false matches**: off-topic rows that were offered any screen.

A row whose expected screens do not exist in the loaded flows (a topic another branch is still
writing) is skipped, and the report says how many and which labels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.engine.types import Match
from bot.nlu.matcher import DANGER_CHECK, EMERGENCY
from bot.nlu.messages import Row, read_rows
from bot.nlu.offtopic import OFF_TOPIC

__all__ = [
    "NONE",
    "OFF_TOPIC",
    "Result",
    "Row",
    "Score",
    "evaluate",
    "format_report",
    "read_rows",
]

NONE = "(none)"
TARGETS = {"top1": 0.90, "offered": 0.97, "danger": 1.0, "false_danger": 0.03, "off_topic": 0.05}
"""The issue's targets on held-out data."""


class _Matcher(Protocol):
    languages: list[str]
    topics: dict[str, str]
    nodes: set[str]

    def match(self, text: str, locale: str) -> Match: ...


@dataclass(frozen=True)
class Result:
    """What the matcher did with one row, reduced to topics."""

    row: Row
    match: Match
    guess: str
    """Topic of the best guess (node or first candidate), ``-`` for nothing."""
    right: bool
    right_offered: bool


@dataclass
class Score:
    """Figures for one group of rows."""

    results: list[Result] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    """Labels of rows skipped because their screen is not in the flows."""

    @staticmethod
    def _rate(hits: int, total: int) -> float:
        return hits / total if total else 0.0

    def _where(self, keep: Callable[[Result], bool]) -> list[Result]:
        return [r for r in self.results if keep(r)]

    @property
    def top1(self) -> float:
        """Best guess right, over every row (off-topic rows are right when nothing is offered)."""
        return self._rate(sum(r.right for r in self.results), len(self.results))

    @property
    def offered(self) -> float:
        """Expected screen chosen or among the buttons, over on-topic rows."""
        rows = self._where(lambda r: r.row.topic != OFF_TOPIC)
        return self._rate(sum(r.right_offered for r in rows), len(rows))

    @property
    def off_topic(self) -> float:
        """Off-topic rows that were offered any screen."""
        rows = self._where(lambda r: r.row.topic == OFF_TOPIC)
        return self._rate(sum(not r.right for r in rows), len(rows))

    @property
    def danger(self) -> float:
        """Emergency rows that got the emergency screen as an alarm."""
        rows = self._where(lambda r: r.row.topic == EMERGENCY)
        return self._rate(sum(_alarm(r.match) for r in rows), len(rows))

    @property
    def false_danger(self) -> float:
        """Rows not about danger (fear alone aside) that got the emergency screen as an alarm."""
        rows = self._where(lambda r: r.row.topic not in (EMERGENCY, DANGER_CHECK))
        return self._rate(sum(_alarm(r.match) for r in rows), len(rows))

    @property
    def fear_asked(self) -> float:
        """Rows not about danger or fear that were asked «¿Está en peligro ahora mismo?»."""
        rows = self._where(lambda r: r.row.topic not in (EMERGENCY, DANGER_CHECK))
        return self._rate(sum(r.match.node == DANGER_CHECK for r in rows), len(rows))

    def count(self, topic: str) -> int:
        return sum(r.row.topic == topic for r in self.results)

    def confusion(self) -> Counter[tuple[str, str]]:
        """(expected, best guess) counts for every wrong best guess."""
        return Counter((r.row.topic, r.guess) for r in self.results if not r.right)

    def meets_targets(self) -> dict[str, bool]:
        """Each of the issue's targets, met or not."""
        return {
            "top1": self.top1 >= TARGETS["top1"],
            "offered": self.offered >= TARGETS["offered"],
            "danger": self.danger >= TARGETS["danger"],
            "false_danger": self.false_danger <= TARGETS["false_danger"],
            "off_topic": self.off_topic <= TARGETS["off_topic"],
        }


def _alarm(found: Match) -> bool:
    return found.danger and found.node == EMERGENCY


def _known(row: Row, matcher: _Matcher) -> bool:
    """Whether some expected screen of ``row`` exists in the matcher's flows."""
    if row.topic == OFF_TOPIC:
        return True
    topics = set(matcher.topics.values())
    return any(a in matcher.nodes or a in topics for a in row.alternatives)


def evaluate(matcher: _Matcher, rows: Iterable[Row]) -> Score:
    """Run the matcher on every row whose screen exists."""
    score = Score()
    for row in rows:
        if not _known(row, matcher):
            score.skipped[row.expected] += 1
            continue
        locale = row.lang if row.lang in matcher.languages else matcher.languages[0]
        found = matcher.match(row.text, locale)
        nodes = ([found.node] if found.node else []) + list(found.candidates)
        topic_of = {n: matcher.topics.get(n, n) for n in nodes}
        first = nodes[0] if nodes else None
        guess = topic_of[first] if first else OFF_TOPIC
        if row.topic == OFF_TOPIC:
            right = right_offered = not nodes
        else:
            right = row.accepts(first, guess)
            right_offered = any(row.accepts(n, topic_of[n]) for n in nodes)
        score.results.append(Result(row, found, guess, right, right_offered))
    return score


def format_report(
    parts: Sequence[tuple[str, Score]],
    misses_of: Sequence[str] = ("dev",),
    worst: int = 12,
) -> str:
    """The figures of each part, its worst confusions, skipped rows, then the misses of the
    ``misses_of`` parts only (held-out rows stay unseen while tuning)."""
    lines: list[str] = []
    header = (
        f"{'part':<6}{'rows':>6}{'top-1':>8}{'offered':>9}{'danger':>8}{'(n)':>5}"
        f"{'false danger':>14}{'off-topic FM':>14}{'(n)':>5}{'fear asked':>12}"
    )
    lines.append(header)
    for name, part in parts:
        lines.append(
            f"{name:<6}{len(part.results):>6}{part.top1:>8.1%}{part.offered:>9.1%}"
            f"{part.danger:>8.1%}{part.count(EMERGENCY):>5}{part.false_danger:>14.1%}"
            f"{part.off_topic:>14.1%}{part.count(OFF_TOPIC):>5}{part.fear_asked:>12.1%}"
        )
    lines.append(
        "targets on held-out: top-1 >= 90%, offered >= 97%, danger 100%, false danger <= 3%, "
        "off-topic FM <= 5%"
    )
    for name, part in parts:
        met = part.meets_targets()
        missed = [k for k, ok in met.items() if not ok]
        lines.append(
            f"  {name}: " + ("all targets met" if not missed else "missed: " + ", ".join(missed))
        )
        if part.skipped:
            labels = ", ".join(f"{k} ({v})" for k, v in sorted(part.skipped.items()))
            lines.append(
                f"  {name}: skipped {sum(part.skipped.values())} rows whose screen is not in "
                f"the flows: {labels}"
            )
    for name, part in parts:
        lines.append("")
        lines.append(f"worst confusions, {name} (expected -> best guess):")
        for (expected, guess), count in part.confusion().most_common(worst):
            lines.append(f"  {expected:<18} -> {guess:<18} {count}")
    for name, part in parts:
        if name not in misses_of:
            continue
        lines.append("")
        lines.append(f"misses ({name}):")
        for result in part.results:
            if result.right:
                continue
            found = result.match
            shown = found.node or ",".join(found.candidates) or NONE
            alarm = " ALARM" if found.danger else ""
            lines.append(
                f"  {result.row.text!r}: expected {result.row.expected}, got {shown}"
                f" ({found.confidence:.2f}){alarm}"
            )
    return "\n".join(lines)
