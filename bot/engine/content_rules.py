"""Validator rules that keep what people read true and readable (issue 9, item 6), and the rules
for dated notices.

``bot.engine.validate`` calls these; each returns ``Problem`` objects that say, in an editor's
words, the file and line, the screen, what is wrong and how to fix it:

- a legal screen (or a notice) that cites a fact marked ``?`` (not confirmed) or a fact that is not
  in ``flows/sources.yaml``;
- a money amount ("$560", "560 dollars", «560 dólares») in a message that has no date (a year) in
  the same message: fees change every year, so an amount without its date becomes false;
- a Spanish translation with a bare "$" before a number: in Mexico "$560" reads as pesos;
- a screen harder to read than the goals of ``bot.readability`` (English Flesch–Kincaid grade
  over 8, Spanish Fernández-Huerta under 70), measured with the same scorers;
- a notice without ``reviewed`` or ``expires`` (error), expired (warning: people no longer see it),
  with dates in the wrong order, or too long for a banner.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from babel.messages.catalog import Catalog

from bot.engine.loader import Problem
from bot.engine.model import Flows, Node, Notice

__all__ = [
    "NOTICE_MAX",
    "READABILITY_MIN_WORDS",
    "CatalogTranslator",
    "check_citations",
    "check_money",
    "check_notices",
    "check_readability",
    "check_spanish_dollar",
    "money_without_date",
]

READABILITY_MIN_WORDS = 20
"""Readability formulas mean nothing on a few words ("Hello. This is general information." scores
grade 12): a screen (in one language) with fewer words than this is not scored."""
NOTICE_MAX = 280
"""A notice is a banner above the menu: longer than this, it pushes the menu off a small phone."""

_NUMBER = r"\d+(?:[.,]\d+)*"
_AMOUNT = re.compile(
    rf"(?:US)?\$\s*{_NUMBER}|{_NUMBER}\s*(?:dollars?|d[óo]lares|USD)\b|\bUSD\s*{_NUMBER}",
    re.IGNORECASE,
)
"""A money amount: "$560", "US$ 560", "560 dollars", «560 dólares», "USD 560"."""
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
"""A date in the same message: at least its year ("since 1 January 2026", "FY2026")."""
_BARE_DOLLAR = re.compile(rf"(?:US)?\$\s*{_NUMBER}")
"""A "$" before a number, which a reader in Mexico takes for pesos."""


def _where(node: Node) -> tuple[str, int]:
    return (node.origin.file, node.origin.line) if node.origin else ("?", 1)


def _short(text: str, width: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# -- citations ------------------------------------------------------------------------------------


def _citation_problems(
    cited: Iterable[str],
    flows: Flows,
    file: str,
    line: int,
    node: str,
    what: str,
    unknown: bool = True,
) -> list[Problem]:
    problems = []
    for fact in cited:
        source = flows.sources.get(fact)
        if source is None and unknown:
            problems.append(
                Problem(
                    file,
                    line,
                    node,
                    f'{what} cites "{fact}", which is not in flows/sources.yaml: check the fact id '
                    "against legal-facts.md and add the fact there first, or remove it from "
                    '"sources:"',
                )
            )
        elif source is not None and source.confidence == "?":
            problems.append(
                Problem(
                    file,
                    line,
                    node,
                    f'{what} cites "{fact}", a fact marked "?" (not confirmed): people must not '
                    'read it as fact. Remove it from "sources:" and say "ask a lawyer" instead',
                )
            )
    return problems


def check_citations(flows: Flows) -> list[Problem]:
    """Legal screens and notices cite only facts that exist and are confirmed (G or S)."""
    problems: list[Problem] = []
    for node in flows.nodes.values():
        if not node.legal:
            continue
        file, line = _where(node)
        # With a sources file, the loader already reports unknown ids on every screen.
        problems += _citation_problems(
            node.sources, flows, file, line, node.id, "this screen", unknown=not flows.sources
        )
    for notice in flows.notices.values():
        file, line = (notice.origin.file, notice.origin.line) if notice.origin else ("?", 1)
        what = f'notice "{notice.id}"'
        problems += _citation_problems(notice.sources, flows, file, line, "", what)
    return problems


# -- money ----------------------------------------------------------------------------------------


def money_without_date(text: str) -> str | None:
    """The first money amount in ``text`` when the text names no year, else ``None``."""
    found = _AMOUNT.search(text)
    if found is None or _YEAR.search(text):
        return None
    return found.group(0).strip()


def check_money(text: str, file: str, line: int, node: str, whose: str) -> list[Problem]:
    """An amount of money must carry its date in the same message."""
    amount = money_without_date(text)
    if amount is None:
        return []
    return [
        Problem(
            file,
            line,
            node,
            f'{whose} gives an amount of money ("{amount}") with no date: fees change every '
            'year, so say from when it holds in the same message, e.g. "since 1 January 2026" '
            "(the date of the fact in legal-facts.md)",
        )
    ]


def check_spanish_dollar(translation: str, file: str, line: int, node: str) -> list[Problem]:
    """Spanish amounts are written with the currency in words («560 dólares»), never "$560"."""
    found = _BARE_DOLLAR.search(translation)
    if found is None:
        return []
    amount = found.group(0)
    number = re.sub(r"^(?:US)?\$\s*", "", amount)
    return [
        Problem(
            file,
            line,
            node,
            f'the Spanish translation writes "{amount}": in Mexico and Central America "$" means '
            f"pesos. Write the currency in words: «{number} dólares»",
        )
    ]


# -- notices --------------------------------------------------------------------------------------


def check_notices(flows: Flows, today: dt.date, review_max_days: int) -> list[Problem]:
    """Each notice has both dates in order, is short, and is flagged once it has expired."""
    problems: list[Problem] = []
    for notice in flows.notices.values():
        problems += _notice_problems(notice, today, review_max_days)
    return problems


def _notice_problems(notice: Notice, today: dt.date, review_max_days: int) -> list[Problem]:
    file, line = (notice.origin.file, notice.origin.line) if notice.origin else ("?", 1)
    what = f'notice "{notice.id}"'
    problems: list[Problem] = []

    def say(message: str, severity: str = "error") -> None:
        problems.append(Problem(file, line, "", f"{what}: {message}", severity))  # type: ignore[arg-type]

    if notice.reviewed is None:
        say(
            'needs "reviewed: YYYY-MM-DD", the day someone checked it against its sources; '
            "it is not shown without it"
        )
    if notice.expires is None:
        say(
            'needs "expires: YYYY-MM-DD", the last day people should see it (a notice is for a '
            "change that just happened; after that, put it in a screen); it is not shown without it"
        )
    if notice.reviewed is not None and notice.expires is not None:
        if notice.expires < notice.reviewed:
            say(
                f"expires on {notice.expires.isoformat()}, before it was reviewed on "
                f"{notice.reviewed.isoformat()}; fix one of the two dates"
            )
        elif notice.expires < today:
            say(
                f"expired on {notice.expires.isoformat()}: people no longer see it. Delete it, "
                'or check it again and set new "reviewed" and "expires" dates',
                "warning",
            )
    if notice.reviewed is not None:
        age = (today - notice.reviewed).days
        if age < 0:
            say(
                f'"reviewed: {notice.reviewed.isoformat()}" is in the future, so it is not shown '
                "yet; write the day it was really checked",
                "warning",
            )
        elif age > review_max_days:
            say(
                f"reviewed on {notice.reviewed.isoformat()}, {age} days ago (the limit is "
                f'{review_max_days}); check it again and update "reviewed"',
                "warning",
            )
    if not notice.text.strip():
        say('has no "text"; write the short message people should read')
    elif len(notice.text) > NOTICE_MAX:
        say(
            f"is {len(notice.text)} characters; a banner over {NOTICE_MAX} pushes the menu off a "
            "small phone: keep one or two short sentences and put the rest in a screen",
            "warning",
        )
    problems += check_money(notice.text, file, line, "", what)
    return problems


# -- readability ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogTranslator:
    """A ``Translator`` straight from a ``.po`` catalog (the validator reads the files being
    edited, which may not be compiled yet). Untranslated and fuzzy entries fall back to English,
    as at run time."""

    catalog: Catalog
    code: str

    @property
    def locale(self) -> str:
        return self.code

    def gettext(self, message: str) -> str:
        entry = self.catalog.get(message)
        if entry is None or entry.fuzzy or not entry.string:
            return message
        return entry.string if isinstance(entry.string, str) else "".join(entry.string)

    def format_date(self, date: dt.date) -> str:
        return str(format_date(date, format="long", locale=self.code))


class _English:
    locale = "en"

    def gettext(self, message: str) -> str:
        return message

    def format_date(self, date: dt.date) -> str:
        return str(format_date(date, format="long", locale="en"))


def check_readability(
    flows: Flows, spanish: CatalogTranslator | None, po_file: str
) -> list[Problem]:
    """Every screen meets the plain-language goals in English and, when present, in Spanish.

    Without the editor tools (the service image leaves them out) nothing is scored: editors and
    CI, which have them, keep the goals; a reload in service is not stopped for want of a scorer.
    """
    from bot.readability import ENGLISH_GOAL, SPANISH_GOAL, measure_if_available

    english = _English()
    scores = measure_if_available(flows, english, spanish or english)
    if not isinstance(scores, list):
        return []
    problems: list[Problem] = []
    for score in scores:
        node = flows.nodes[score.node]
        file, line = _where(node)
        long_en = score.words_en >= READABILITY_MIN_WORDS
        long_es = score.words_es >= READABILITY_MIN_WORDS
        if long_en and score.grade_en is not None and score.grade_en > ENGLISH_GOAL:
            problems.append(
                Problem(
                    file,
                    line,
                    node.id,
                    f"the English text of this screen is too hard to read: Flesch–Kincaid grade "
                    f"{score.grade_en:.1f}, the goal is {ENGLISH_GOAL:g} or lower. Use shorter "
                    "sentences and everyday words (run ./helpline readability to compare)",
                )
            )
        if (
            spanish is not None
            and long_es
            and score.huerta_es is not None
            and score.huerta_es < SPANISH_GOAL
        ):
            first = spanish.catalog.get(node.messages[0].text) if node.messages else None
            problems.append(
                Problem(
                    po_file,
                    (first.lineno if first is not None else None) or 1,
                    node.id,
                    f"the Spanish text of this screen ({file}:{line}) is too hard to read: "
                    f"Fernández-Huerta {score.huerta_es:.1f}, the goal is {SPANISH_GOAL:g} or "
                    "more. Use shorter sentences and shorter words in its translations",
                )
            )
    return problems


def po_display(path: Path, base: Path) -> str:
    """A catalog's path as an editor sees it (relative to the content folder)."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)
