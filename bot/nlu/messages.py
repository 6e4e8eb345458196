"""Whole messages as people write them, each with the screen it should lead to.

A screen's ``examples:`` say what the screen is about; the files in ``flows/nlu/messages/`` are
the many ways people really ask it. Testers who never saw the helpline wrote them, each set in
a persona of its own (a grandmother dictating, a teenager in Spanglish, a man sending fragments,
a Haitian writing Spanish as a second language...): 28,900 messages in 207 sets by the end of
the eleventh session. The classifier that chooses the topic (and raises the alarm on a cry for
help that no danger phrase names) learns from them beside the examples. They taught it more
than any phrase or example could: on a new round of 14 sets that nothing had learned from
(2026-12-03), top-1 rose from 93.1 to 96.8 %, the right screen among those offered from 95.1
to 97.6 %, false danger alarms fell from 23 to 14 (of 1,610 ordinary messages) and off-topic
matches from 7.9 to 2.1 % (README, "Tenth session").

Each file is a TSV (a spreadsheet saved as "tab-separated values") with the header
``text  lang  expected  split``, a message a line:

* ``text``: the message as it was written (no tabs, no line breaks);
* ``lang``: ``es`` or ``en`` (``mix`` for both; it counts as ``es``);
* ``expected``: the screen (a topic id such as ``asylum``, ``emergency`` for a cry for help,
  ``danger_check`` for fear alone, ``-`` for a message that is no question for the helpline);
  ``a|b`` where two screens answer it: the first is the one learned;
* ``split``: the set's name (where the message came from).

The same format as the evaluation files (``tests/data/nlu_eval*.tsv``), read by the same
``read_rows``. No message may be (nearly) one of those files' messages: the held-out figures
would then measure what the classifier learned by heart (``tests/nlu/test_heldout.py``).
"""

from __future__ import annotations

import csv
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.offtopic import OFF_TOPIC

__all__ = [
    "MESSAGES_DIR",
    "MessagesError",
    "Row",
    "learned_messages",
    "message_files",
    "read_message_file",
    "read_rows",
]

log = logging.getLogger(__name__)

MESSAGES_DIR = Path("nlu") / "messages"
"""Where the labelled messages are, inside the flows folder."""


class MessagesError(ValueError):
    """A message file cannot be read (not text in UTF-8, not a table)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Row:
    """One labelled message."""

    text: str
    lang: str
    expected: str
    split: str = "dev"
    line: int = 0
    """Its line in its file (the header is line 1), for the validator's report."""

    @property
    def alternatives(self) -> list[str]:
        return self.expected.split("|")

    @property
    def topic(self) -> str:
        """The main expected topic (the first alternative)."""
        return self.alternatives[0]

    def accepts(self, node: str | None, topic: str) -> bool:
        """Whether a guess (node and its topic; ``-`` for none) answers this row."""
        return topic in self.alternatives or (node is not None and node in self.alternatives)


def read_rows(path: Path, split: str | None = None) -> list[Row]:
    """The labelled rows of a TSV file (see the module docstring)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Row(
                text=row["text"],
                lang=(row.get("lang") or "es").strip(),
                expected=(row.get("expected") or OFF_TOPIC).strip(),
                split=(row.get("split") or split or "dev").strip(),
                line=reader.line_num,
            )
            for row in reader
            if row.get("text")
        ]


def message_files(flows_dir: Path | None) -> list[Path]:
    """The message files of ``flows_dir``, in name order (none without a folder)."""
    if flows_dir is None or not (flows_dir / MESSAGES_DIR).is_dir():
        return []
    return sorted((flows_dir / MESSAGES_DIR).glob("*.tsv"))


def read_message_file(path: Path, where: str) -> list[Row]:
    """The rows of one message file; ``MessagesError`` (named ``where``) when it cannot be
    read, saying what to do: the validator reports it as an error, training leaves it out."""
    try:
        return read_rows(path)
    except UnicodeDecodeError as exc:
        raise MessagesError(
            where, "is not plain text in UTF-8; save it again as UTF-8 tab-separated text"
        ) from exc
    except (csv.Error, KeyError) as exc:
        raise MessagesError(
            where,
            'cannot be read as a table: its first line must be "text", "lang", "expected" and '
            '"split" separated by tabs',
        ) from exc


_LEARNED: dict[tuple[tuple[str, int, int], ...], list[tuple[list[str], str]]] = {}
_LEARNED_LOCK = threading.Lock()


def learned_messages(flows_dir: Path | None) -> list[tuple[list[str], str]]:
    """(the words the classifier reads, the first expected screen) of every message.

    Reading and normalising 25,000 messages takes about 1.4 s; the service needs them twice per
    content (to find the trained model in the cache, then to load it) and tests build the
    content many times. They are kept per process under the files' names, sizes and times, and
    read again only when one of those changes (one content at a time is kept). A file that
    cannot be read is left out with a warning in the log (``validate`` reports it as an error):
    the others still teach the classifier. Each word is kept once (``sys.intern``): the 29,000
    messages have some 600,000 words but few distinct ones, and each copy cost a worker's
    memory for as long as it runs (about 22 MB, measured 2026-12-03)."""
    from bot.nlu.normalize import tokens
    from bot.nlu.smalltalk import without_courtesy

    files = message_files(flows_dir)
    stats = [(str(p), p.stat()) for p in files]
    key = tuple((name, stat.st_size, stat.st_mtime_ns) for name, stat in stats)
    with _LEARNED_LOCK:
        found = _LEARNED.get(key)
    if found is not None:
        return found
    learned: list[tuple[list[str], str]] = []
    for path in files:
        try:
            rows = read_message_file(path, path.name)
        except MessagesError as exc:  # ``validate`` says so; the other files still teach
            log.warning("labelled messages not learned: %s", exc)
            continue
        for row in rows:
            if words := without_courtesy(tokens(row.text)):
                learned.append(([sys.intern(w) for w in words], row.topic))
    with _LEARNED_LOCK:
        _LEARNED.clear()
        _LEARNED[key] = learned
    return learned
