"""Warnings about the ``keywords`` editors write, in words an editor can act on.

Nothing here stops the helpline: a weak keyword only makes free text less well understood. The
checks catch what the matcher cannot use (a keyword that is only punctuation or only little
words such as "que es"), a language code that is not one, and the same keyword on screens of
different topics, which turns every message containing it into a "Did you mean" question.
``bot.engine.validate`` (or anyone) can add these to its report.

``nlu_problems`` (which ``python -m bot validate`` reports) checks the ``examples`` the same way,
and the danger and off-topic files under ``flows/nlu/``: a broken danger file is an error (the
content does not load, so a reload keeps the working one), a danger phrase that fires on an
ordinary screen's example is a warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.engine.loader import Problem
from bot.engine.model import Flows, Node
from bot.nlu.messages import Row
from bot.nlu.normalize import normalize
from bot.nlu.stopwords import STOPWORDS
from bot.nlu.topics import topic_map

__all__ = [
    "MIN_EXAMPLES",
    "example_problems",
    "keyword_problems",
    "message_problems",
    "nlu_file_problems",
    "nlu_problems",
]

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _warning(node: Node, message: str) -> Problem:
    origin = node.origin
    file, line = (origin.file, origin.line) if origin else ("", 0)
    return Problem(file, line, node.id, message, severity="warning")


def _shared_by_topics(
    owners: dict[str, dict[str, Node]], say: Callable[[str, str], str]
) -> list[Problem]:
    """One warning for each text that screens of two or more topics share, on the first of
    those screens by id; ``say(text, other_screen_ids)`` words it."""
    found = []
    for text, by_topic in owners.items():
        if len(by_topic) < 2:
            continue
        nodes = sorted(by_topic.values(), key=lambda n: n.id)
        found.append(_warning(nodes[0], say(text, ", ".join(n.id for n in nodes[1:]))))
    return found


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
    problems += _shared_by_topics(
        owners,
        lambda keyword, others: (
            f'keyword "{keyword}" is also a keyword of {others} (another topic): people '
            "who type it will be asked which one they mean"
        ),
    )
    return sorted(problems)


# -- examples and the danger and off-topic files ------------------------------------------------

MIN_EXAMPLES = 5
"""A topic screen (``bot.nlu.topics.TOPICS``) should carry at least this many examples per
language: fewer, and the classifier knows the topic mostly from its keywords."""
_NOT_TOPICS = frozenset({"welcome", "main", "help", "about", "emergency", "danger_check"})


def example_problems(flows: Flows, languages: Sequence[str] = ("es", "en")) -> list[Problem]:
    """Warnings about ``examples``: language codes, examples that look written in another
    language, the same example on screens of different topics (or twice on one), and topic
    screens with too few examples in an enabled language."""
    from bot.nlu.language import NgramGuesser
    from bot.nlu.topics import TOPICS

    problems: list[Problem] = []
    topics = topic_map(flows)
    corpus: dict[str, list[str]] = defaultdict(list)
    for node in flows.nodes.values():
        for source in (node.keywords, node.examples):
            for language, items in source.items():
                corpus[language].extend(items)
    known = [code for code in languages if corpus.get(code)]
    guesser = NgramGuesser({code: corpus[code] for code in known}, margin=0.6)
    owners: dict[str, dict[str, Node]] = defaultdict(dict)
    # Content that has no examples yet (a new NGO's flows, a small test folder) is matched by its
    # keywords alone: "too few examples" is said only once the content uses them.
    uses_examples = any(node.examples for node in flows.nodes.values())
    for node in flows.nodes.values():
        for language, items in node.examples.items():
            if not _LANGUAGE_CODE.match(language):
                problems.append(
                    _warning(node, f'examples: "{language}" is not a language code (use es, en)')
                )
                continue
            seen: set[str] = set()
            for example in items:
                key = normalize(example)
                if not key:
                    problems.append(
                        _warning(node, f'example "{example}" has no letters or digits; remove it')
                    )
                    continue
                if key in seen:
                    problems.append(_warning(node, f'example "{example}" is written twice here'))
                seen.add(key)
                guess = guesser.guess(example) if len(key.split()) >= 3 else None
                if guess is not None and guess != language and language in known:
                    problems.append(
                        _warning(
                            node,
                            f'example "{example}" is under "{language}" but looks written in '
                            f'"{guess}"; move it to the list of its language',
                        )
                    )
                owners[key].setdefault(topics.get(node.id, node.id), node)
        if uses_examples and node.id in TOPICS and node.id not in _NOT_TOPICS:
            for language in languages:
                count = len(node.examples.get(language, []))
                if count < MIN_EXAMPLES:
                    problems.append(
                        _warning(
                            node,
                            f'only {count} example(s) in "{language}" on a topic screen; add '
                            f"at least {MIN_EXAMPLES} messages as people write them",
                        )
                    )
    problems += _shared_by_topics(
        owners,
        lambda key, others: (
            f'example "{key}" is also an example of {others} (another topic): the matcher '
            "cannot learn which one it means; keep it on one screen"
        ),
    )
    return sorted(problems)


def nlu_file_problems(flows_dir: Path, flows: Flows) -> list[Problem]:
    """Errors in ``flows/nlu/danger.yaml`` and ``offtopic.yaml`` (they stop a reload), and
    warnings for danger phrases that fire on an example of an ordinary screen (a false alarm
    waiting to happen) or name a screen that does not exist."""
    from bot.nlu.danger import DANGER_FILE, DangerDetector, PatternError, load_patterns
    from bot.nlu.normalize import tokens
    from bot.nlu.offtopic import OFFTOPIC_FILE, OfftopicError, load_offtopic

    problems: list[Problem] = []
    try:
        load_offtopic(flows_dir)
    except OfftopicError as exc:
        problems.append(Problem(str(OFFTOPIC_FILE), 1, "", str(exc)))
    try:
        patterns = load_patterns(flows_dir)
    except PatternError as exc:
        file, _, line = exc.where.partition(":")
        problems.append(Problem(file, int(line) if line.isdigit() else 1, "", exc.message))
        return problems
    detector = DangerDetector(patterns)
    for category in patterns.categories:
        if category.goto not in flows.nodes and category.goto != "emergency":
            problems.append(
                Problem(
                    str(DANGER_FILE),
                    patterns.lines.get(category.id, 1),
                    "",
                    f'category "{category.id}": goto "{category.goto}" is not a screen',
                )
            )
    calm = {"emergency", "danger_check"}
    for node in flows.nodes.values():
        if node.id in calm:
            continue
        for items in node.examples.values():
            for example in items:
                hit = detector.find(tokens(example))
                if hit is not None and not hit.alone:
                    problems.append(
                        _warning(
                            node,
                            f'example "{example}" sets off the danger phrase "{hit.phrase}" '
                            f"({hit.category}, {DANGER_FILE}): people who write this get the "
                            "emergency screen; make the phrase more precise or drop the example",
                        )
                    )
    return problems


def message_problems(flows_dir: Path, flows: Flows) -> list[Problem]:
    """The labelled messages (``flows/nlu/messages``): a file that cannot be read is an error;
    a message whose screen does not exist, whose language is not one, or that is written under
    two topics is a warning (the classifier leaves out the first two and learns both topics
    for the third, which blurs them)."""
    from bot.nlu.messages import MessagesError, message_files, read_message_file

    problems: list[Problem] = []
    topics = topic_map(flows)
    known = {*topics.values(), *flows.nodes, "-"}
    owners: dict[str, tuple[str, str, int]] = {}

    def warn(file: str, row: Row, message: str) -> None:
        problems.append(Problem(file, row.line, "", message, severity="warning"))

    for path in message_files(flows_dir):
        file = str(path.relative_to(flows_dir.parent))
        try:
            rows = read_message_file(path, file)
        except MessagesError as exc:
            problems.append(Problem(file, 1, "", exc.message))
            continue
        for row in rows:
            unknown = [s for s in row.alternatives if s not in known]
            if unknown:
                warn(
                    file,
                    row,
                    f'message "{row.text}": "{unknown[0]}" is not a screen; write a screen id '
                    "(asylum, court, emergency...) or - for a message that is no question for "
                    "the helpline",
                )
            if row.lang not in ("es", "en", "mix"):
                warn(file, row, f'message "{row.text}": language "{row.lang}" is not es, en or mix')
            key = normalize(row.text)
            topic = topics.get(row.topic, row.topic)
            first = owners.setdefault(key, (topic, file, row.line))
            if first[0] != topic:
                warn(
                    file,
                    row,
                    f'message "{row.text}" is also under "{first[0]}" ({first[1]} line '
                    f"{first[2]}); the classifier cannot learn which one it means: keep one",
                )
    return problems


def typed_problems(flows: Flows) -> list[Problem]:
    """Warnings about buttons' ``typed`` answers (``bot.engine.typed``): language codes, answers
    with no letters, and the same answer on two buttons of one screen (then typing it presses
    neither)."""
    problems: list[Problem] = []
    for node in flows.nodes.values():
        owners: dict[str, str] = {}
        for button in node.buttons:
            for language, answers in button.typed.items():
                if not _LANGUAGE_CODE.match(language):
                    problems.append(
                        _warning(node, f'typed: "{language}" is not a language code (use es, en)')
                    )
                for answer in answers:
                    key = normalize(answer)
                    if not key:
                        problems.append(
                            _warning(node, f'typed answer "{answer}" has no letters; remove it')
                        )
                        continue
                    owner = owners.setdefault(key, button.key)
                    if owner != button.key:
                        problems.append(
                            _warning(
                                node,
                                f'typed answer "{answer}" is on two buttons ({owner}, '
                                f"{button.key}): typing it presses neither; keep it on one",
                            )
                        )
    return problems


def nlu_problems(flows_dir: Path, flows: Flows, languages: Sequence[str]) -> list[Problem]:
    """Everything ``python -m bot validate`` reports about free-text understanding."""
    return [
        *example_problems(flows, languages),
        *typed_problems(flows),
        *nlu_file_problems(flows_dir, flows),
        *message_problems(flows_dir, flows),
    ]
