"""The evaluation in the suite: the frozen held-out set must meet the issue's targets.

The held-out file was written before any tuning and committed first (``git log`` shows it alone
in its commit); its SHA-256 is pinned here, so editing it fails this test. It must never be used
to tune: ``nlu-eval`` prints its figures but not its misses. This measures accuracy, not time.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from bot.nlu.evaluate import OFF_TOPIC, TARGETS, Score, evaluate, read_rows
from bot.nlu.matcher import EMERGENCY, TextMatcher
from bot.nlu.messages import Row, message_files
from bot.nlu.normalize import normalize
from bot.settings import REPO_ROOT

DATA = REPO_ROOT / "tests" / "data"
HELD = DATA / "nlu_eval_held.tsv"
DEV = DATA / "nlu_eval.tsv"
FRESH = DATA / "nlu_eval_fresh.tsv"
HELD_SHA256 = "dd53160fc990758a9c1d15ac31621f33a5a35ebbf7c4853d58f452460c1ee156"
FRESH_SHA256 = "81753745dc88642d171767f6496155c12bae4c16ce180e0406533cb616740bd3"

NEW_TOPICS = (
    "leave",
    "appeal",
    "detained_relative",
    "address_change",
    "interpreter",
    "profiles",
    "grant_rates",
)


def test_the_held_out_file_is_frozen() -> None:
    assert hashlib.sha256(HELD.read_bytes()).hexdigest() == HELD_SHA256


def test_the_fresh_file_is_frozen() -> None:
    assert hashlib.sha256(FRESH.read_bytes()).hexdigest() == FRESH_SHA256


def _examples() -> set[str]:
    """Every training example of the repository's flows, normalised."""
    from bot.engine.loader import load_flows

    flows = load_flows(REPO_ROOT / "flows").flows
    return {normalize(e) for n in flows.nodes.values() for v in n.examples.values() for e in v}


def test_no_held_out_or_fresh_message_is_a_training_example_or_a_dev_row(
    matcher: TextMatcher,
) -> None:
    examples = _examples()
    dev = {normalize(r.text) for r in read_rows(DEV)}
    held = [normalize(r.text) for r in read_rows(HELD)]
    fresh = [normalize(r.text) for r in read_rows(FRESH)]
    assert [t for t in held + fresh if t in examples] == []
    assert [t for t in held + fresh if t in dev] == []
    assert [t for t in fresh if t in set(held)] == []


def _messages() -> list[Row]:
    """The labelled messages the classifier learns from (``flows/nlu/messages``)."""
    return [r for path in message_files(REPO_ROOT / "flows") for r in read_rows(path)]


def test_no_evaluation_message_is_nearly_a_labelled_message() -> None:
    """The classifier learns the labelled messages (``bot.nlu.messages``): one that is (nearly)
    a held-out or fresh row would make those figures measure what it learned by heart. 817
    such messages were left out when the check sets became training data (2026-12-03)."""
    from rapidfuzz import fuzz, process

    said = [normalize(r.text) for r in _messages()]
    assert len(said) >= 20_000
    dev = {normalize(r.text) for r in read_rows(DEV)}
    assert [t for t in said if t in dev] == []
    frozen = [normalize(r.text) for r in read_rows(HELD) + read_rows(FRESH)]
    near = [t for t in frozen if process.extractOne(t, said, scorer=fuzz.ratio, score_cutoff=90)]
    assert near == []


def test_every_cry_for_help_of_the_labelled_messages_raises_the_alarm(
    matcher: TextMatcher,
) -> None:
    """Each set's cries for help were all caught once its misses were mended (README): a change
    that loses one of them loses someone the team was told about."""
    score = evaluate(matcher, [r for r in _messages() if r.topic == EMERGENCY])
    assert len(score.results) >= 3_000
    assert [r.row.text for r in score.results if not r.match.danger] == []


def test_the_fresh_part_covers_every_topic_danger_chatter_and_past_violence() -> None:
    rows = read_rows(FRESH)
    assert len(rows) >= 300
    assert {r.split for r in rows} == {"fresh"}
    topics = {"asylum", "withholding", "cat", "admin_closure", "compare", "screener"}
    topics |= {"deadline", "court", "safety", "legal_aid", *NEW_TOPICS}
    per = Counter(r.topic for r in rows)
    assert {t: per[t] for t in topics if per[t] < 10} == {}
    assert per[EMERGENCY] >= 40
    assert per[OFF_TOPIC] >= 40
    assert {r.lang for r in rows} == {"es", "en", "mix"}


def test_the_sets_are_big_and_cover_every_topic_in_both_languages() -> None:
    rows = read_rows(DEV) + read_rows(HELD)
    assert len(rows) >= 1200
    per = Counter((r.topic, r.lang) for r in rows)
    topics = {"asylum", "withholding", "cat", "admin_closure", "compare", "screener"}
    topics |= {"deadline", "court", "safety", "legal_aid", EMERGENCY, OFF_TOPIC, *NEW_TOPICS}
    short = {(t, lang): per[t, lang] for t in topics for lang in ("es", "en") if per[t, lang] < 40}
    assert short == {}


@pytest.fixture(scope="module")
def held(matcher: TextMatcher) -> Score:
    score = evaluate(matcher, read_rows(HELD, "held"))
    if score.skipped:
        print(
            f"held-out: skipped {sum(score.skipped.values())} rows whose screen is not in the "
            f"flows yet: {dict(score.skipped)}"
        )
    return score


def test_held_out_danger_recall_is_total(held: Score) -> None:
    assert held.danger == TARGETS["danger"]


def test_held_out_false_danger(held: Score) -> None:
    assert held.false_danger <= TARGETS["false_danger"]


def test_held_out_top1(held: Score) -> None:
    assert held.top1 >= TARGETS["top1"]


def test_held_out_right_screen_among_the_offered(held: Score) -> None:
    assert held.offered >= TARGETS["offered"]


def test_held_out_off_topic_false_matches(held: Score) -> None:
    assert held.off_topic <= TARGETS["off_topic"]
