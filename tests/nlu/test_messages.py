"""The labelled messages (``flows/nlu/messages``): the classifier learns them, the validator
checks them in words an editor can act on."""

from __future__ import annotations

from pathlib import Path

from bot.engine.model import Button, Flows, Node
from bot.nlu.check import message_problems
from bot.nlu.matcher import TextMatcher
from bot.nlu.messages import learned_messages

HEADER = "text\tlang\texpected\tsplit\n"


def _flows() -> Flows:
    nodes = [
        Node(id="main", title="main", buttons=[Button(label="a", goto="asylum")]),
        Node(
            id="asylum",
            title="a",
            keywords={"es": ["asilo", "pedir asilo"]},
            examples={"es": ["quiero platicar del asilo", "quiero pedir asilo"]},
        ),
        Node(id="legal_aid", title="l", keywords={"es": ["abogado", "la señorita de la oficina"]}),
    ]
    return Flows(nodes={n.id: n for n in nodes})


def _write(flows_dir: Path, name: str, rows: list[str]) -> Path:
    folder = flows_dir / "nlu" / "messages"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def test_a_labelled_message_teaches_the_classifier(tmp_path: Path) -> None:
    flows_dir = tmp_path / "flows"
    flows_dir.mkdir()
    text = "quiero platicar con la señorita"
    before = TextMatcher.from_flows(_flows(), ["es"], flows_dir=flows_dir).match(text, "es")
    assert before.node != "legal_aid"
    _write(
        flows_dir,
        "set.tsv",
        [
            "quiero platicar con la señorita de la oficina\tes\tlegal_aid\tt",
            "platicar con la señorita\tes\tlegal_aid\tt",
            "me dijeron que platicara con la señorita\tes\tlegal_aid\tt",
            "con la señorita quiero platicar\tes\tlegal_aid\tt",
        ],
    )
    after = TextMatcher.from_flows(_flows(), ["es"], flows_dir=flows_dir).match(text, "es")
    assert after.node == "legal_aid"


def test_a_changed_message_file_is_read_again(tmp_path: Path) -> None:
    flows_dir = tmp_path / "flows"
    path = _write(flows_dir, "set.tsv", ["pedir asilo\tes\tasylum\tt"])
    assert learned_messages(flows_dir) == [(["pedir", "asilo"], "asylum")]
    path.write_text(HEADER + "un abogado gratis\tes\tlegal_aid|asylum\tt\n", encoding="utf-8")
    assert learned_messages(flows_dir) == [(["un", "abogado", "gratis"], "legal_aid")]


def test_the_validator_names_file_line_and_what_to_do(tmp_path: Path) -> None:
    flows_dir = tmp_path / "flows"
    _write(
        flows_dir,
        "a.tsv",
        [
            "necesito abogado\tes\tlegal_aid\tt",
            "que es el asilo\tes\tasilo\tt",
            "what is asylum\tfr\tasylum\tt",
        ],
    )
    _write(flows_dir, "b.tsv", ["Necesito abogado!\tes\tasylum\tt"])
    (flows_dir / "nlu" / "messages" / "c.tsv").write_bytes(HEADER.encode() + b"asilo \xe9\n")
    found = {(p.file, p.line, p.severity): p.message for p in message_problems(flows_dir, _flows())}
    assert '"asilo" is not a screen' in found["flows/nlu/messages/a.tsv", 3, "warning"]
    assert 'language "fr" is not es, en or mix' in found["flows/nlu/messages/a.tsv", 4, "warning"]
    twice = found["flows/nlu/messages/b.tsv", 2, "warning"]
    assert 'also under "legal_aid" (flows/nlu/messages/a.tsv line 2)' in twice
    assert "UTF-8" in found["flows/nlu/messages/c.tsv", 1, "error"]
    assert len(found) == 4


def test_a_file_that_cannot_be_read_is_left_out_of_training(tmp_path: Path) -> None:
    flows_dir = tmp_path / "flows"
    _write(flows_dir, "a.tsv", ["pedir asilo\tes\tasylum\tt"])
    (flows_dir / "nlu" / "messages" / "b.tsv").write_bytes(HEADER.encode() + b"asilo \xe9\n")
    assert learned_messages(flows_dir) == [(["pedir", "asilo"], "asylum")]


def test_a_word_said_in_many_messages_is_kept_once() -> None:
    """The service keeps the labelled messages for as long as it runs (to find its trained
    model by their hash at each reload): some 600,000 words, few of them distinct. Each is
    one object, not a copy per message (about 22 MB of every worker, measured 2026-12-03)."""
    from bot.settings import REPO_ROOT

    learned = learned_messages(REPO_ROOT / "flows")
    said = [w for words, _ in learned for w in words if w == "asilo"]
    assert len(said) > 100
    assert len({id(w) for w in said}) == 1
