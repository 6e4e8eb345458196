"""Off-topic chatter: messages that are not questions for this helpline.

The classifier learns them as a class of their own (``-``), so that "what time is it" or "quiero
comprar un carro" is answered with the kind "I did not understand" and the main menu instead of
the least unlikely screen. They are content (``flows/nlu/offtopic.yaml``), so an NGO that sees
people type something the helpline wrongly answers can add it there.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUILTIN", "OFFTOPIC_FILE", "OFF_TOPIC", "OfftopicError", "load_offtopic"]

OFF_TOPIC = "-"
"""The label of off-topic messages (in the classifier and in the evaluation files)."""
OFFTOPIC_FILE = Path("nlu") / "offtopic.yaml"


class OfftopicError(ValueError):
    """The off-topic file cannot be used."""


BUILTIN: tuple[str, ...] = (
    "que hora es",
    "como esta el clima",
    "cuentame un chiste",
    "donde venden comida",
    "jajaja",
    "ok",
    "what time is it",
    "whats the weather",
    "tell me a joke",
    "where can i buy food",
    "lol",
    "okay",
)
"""Used when the flows have no off-topic file, so the classifier always has this class."""


def load_offtopic(flows_dir: Path | None) -> list[str]:
    """Every off-topic example in ``flows_dir / OFFTOPIC_FILE`` (``BUILTIN`` without it)."""
    if flows_dir is None:
        return list(BUILTIN)
    path = flows_dir / OFFTOPIC_FILE
    if not path.is_file():
        return list(BUILTIN)
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise OfftopicError(f"{OFFTOPIC_FILE}: not valid YAML ({exc})") from exc
    examples = raw.get("examples") if isinstance(raw, dict) else None
    if not isinstance(examples, dict):
        raise OfftopicError(f'{OFFTOPIC_FILE}: write "examples:" with a list per language')
    found: list[str] = []
    for language, items in examples.items():
        if not isinstance(items, list):
            raise OfftopicError(f"{OFFTOPIC_FILE}: {language}: write a list of messages")
        found.extend(str(item) for item in items)
    return found
