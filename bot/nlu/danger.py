"""Danger first: someone in danger now, hunted, kidnapped, near armed people, locked in, hurt, or
thinking of suicide.

The phrases are content, not code: ``flows/nlu/danger.yaml`` (its header explains the syntax to
editors), grouped in categories. Every typed message is checked against all of them, in every
language at once (a person in danger writes in whatever language comes first), before anything
else. A false alarm costs one screen with emergency numbers; a missed alarm can cost a life, so
the lists lean towards alarm. Two things keep ordinary questions from alarming:

* ``quiet_by``: a category that tells something which may be long past ("me secuestraron") or
  what would happen on return ("si me deportan me van a matar") is quiet when the message clearly
  says so and has no word of now ("ahorita", "right now"); the news quiets even beside a word of
  now ("ahorita en las noticias"). Words that quiet must be written as they are: a typo may raise
  an alarm but never silence one ("sola" is not "solia");
* ``alone``: the phrase counts only when the message asks nothing else; the matcher decides
  that. Fear ("tengo miedo") then leads to its own question screen; "estan aqui" said alone to
  the emergency screen ("mis hijos estan aqui conmigo, los puedo incluir?" asks about a case).

``BUILTIN`` is a floor that no edit of the file can remove: the plainest words for danger and
suicide in Spanish and English. Matching is word by word on normalised text (``normalize``), in
order, with one extra word allowed between two words of a phrase and one typo in words of five
letters or more. Words are looked up in prepared indexes, so a message costs microseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from bot.nlu.normalize import tokens

__all__ = [
    "BUILTIN",
    "DANGER_FILE",
    "DangerDetector",
    "DangerHit",
    "DangerPatterns",
    "PatternError",
    "load_patterns",
    "parse_patterns",
]

DANGER_FILE = Path("nlu") / "danger.yaml"
"""Where the patterns live, relative to the flows folder."""

EMERGENCY = "emergency"
TYPO_MIN = 5
"""Words this long or longer may carry one typo and still match."""
PREFIX_MIN = 4
"""A ``word*`` prefix needs at least this many letters (``me*`` would match half the language);
a prefix of digits needs two ("20*" is any year of this century)."""
YEAR_DIGITS = 4
"""A prefix of digits matches only a number this long, a year: "in 20*" had read "in culiacan
20 min ago" (unseen set CA) as a year, and quieted a kidnapping twenty minutes old."""
MAX_GAP = 1
"""Extra words allowed between two words of a phrase."""
QUIET_SCOPE = 25
"""How many words away a word of the past (or of a return, or of the news) still quiets a phrase,
about a long sentence: "llegue hace dos meses" at the start of a long message does not quiet "no
nos deja salir" forty words later."""
TENSE_ENDINGS = frozenset(
    {"aron", "ieron", "aran", "ieran", "aban", "aba", "ara", "iera", "ian", "ia", "an", "en"}
    | {"ron", "ran", "ban", "ar", "er", "ir"}
)
"""Spanish verb endings that carry the tense: "mataron" (they killed) is not a typo of
"mataran" (they will kill), nor is "mataban" (they used to kill): a story of the past must not
read as a threat. Nor is "vender" (to sell) a typo of "venden" (they sell me)."""
LAST_VOWELS = frozenset({frozenset("eo"), frozenset("ea")})
"""Last vowels that make another Spanish word, not a typo: "corte" (court) is not "corto" (I
cut). "a" and "o" are not among them: they tell a woman from a man ("encerrada", "encerrado"),
and a phrase written for one must still find the other. Only verbs in -ear tell a and o apart
(``_another_word``): "golpeo" (he hit, written without its accent) is not "golpea" (he hits)."""

CLASSIFIER_QUIET_BY = ("past", "return", "news", "conditions", "case", "joke")
"""The quiet lists that hold back the classifier's vote when the file names none
(``classifier_quiet_by``). Detention is not among them: a trafficker's threat to call «la migra»
is the commonest cry for help that mentions it (with it, danger recall fell 99.5 -> 98.8 % on
the check sets, 2026-12-01)."""

BUILTIN: dict[str, tuple[str, ...]] = {
    "danger_now": (
        "peligro",
        "emergencia",
        "auxilio",
        "me|nos quieren matar",
        "me|nos van a matar",
        "danger",
        "emergency",
        "want to kill me|us",
        "going to kill me|us",
    ),
    "suicide": (
        "suicid*",
        "matarme",
        "quitarme la vida",
        "quiero morir",
        "no quiero vivir",
        "kill myself",
        "end my life",
        "want to die",
        "do not want to live",
    ),
}
"""The floor: always checked, whatever the file says."""


class PatternError(ValueError):
    """A phrase or field of the danger file that cannot be used, with where it is."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True)
class _Slot:
    """One word position of a phrase: exact words, prefixes, or any word (``*``)."""

    words: frozenset[str]
    prefixes: tuple[str, ...] = ()
    wildcard: bool = False


@dataclass(frozen=True)
class Phrase:
    """A compiled phrase: its slots, its category and the text an editor wrote."""

    slots: tuple[_Slot, ...]
    category: str
    text: str


@dataclass(frozen=True)
class Category:
    """A group of phrases with the screen they lead to and what can quiet them."""

    id: str
    name: str
    goto: str = EMERGENCY
    alone: bool = False
    quiet_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class DangerHit:
    """What the detector found: the category, the screen it leads to, and the phrase."""

    category: str
    goto: str
    phrase: str
    alone: bool = False


@dataclass
class DangerPatterns:
    """Everything in the danger file, parsed (phrases are still text here)."""

    categories: list[Category] = field(default_factory=list)
    phrases: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """category id → language → phrases."""
    quiet: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """quiet list name → language → phrases."""
    even_now: set[str] = field(default_factory=set)
    """Quiet lists that hold even beside a word of now ("ahorita en las noticias")."""
    unless: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """quiet list name → language → phrases beside which that list does not hold: detention
    quiets «están afuera de mi casa» said of ICE, not when «los del cartel» are named."""
    now: dict[str, list[str]] = field(default_factory=dict)
    classifier_quiet_by: tuple[str, ...] = CLASSIFIER_QUIET_BY
    """Quiet lists that hold back the classifier's own emergency vote, which has no category."""
    lines: dict[str, int] = field(default_factory=dict)
    """category id → line in the file, for error messages."""
    spelled_right: dict[str, list[str]] = field(default_factory=dict)
    """language → words that are never read as a typo of a phrase word («conto» is no «corto»)."""


def compile_phrase(text: str, category: str = "") -> Phrase:
    """Compile an editor's phrase; raises ``PatternError`` when it cannot be used."""
    raw = str(text).strip().casefold()
    if not raw:
        raise PatternError(repr(text), "empty phrase")
    if "|" not in raw and "*" not in raw:
        words = tokens(raw)
        if not words:
            raise PatternError(repr(text), "no letters or digits in this phrase")
        return Phrase(tuple(_Slot(frozenset([w])) for w in words), category, text)
    slots: list[_Slot] = []
    for part in raw.split():
        if part == "*":
            slots.append(_Slot(frozenset(), wildcard=True))
            continue
        if "|" not in part and "*" not in part:
            slots.extend(_Slot(frozenset([w])) for w in tokens(part))
            continue
        exact: set[str] = set()
        prefixes: list[str] = []
        for alternative in part.split("|"):
            star = alternative.endswith("*")
            words = tokens(alternative.rstrip("*"), expand=not star)
            if len(words) != 1:
                raise PatternError(
                    repr(text),
                    f'"{alternative}" must be one word (write the words of a phrase apart, '
                    'and "|" only between single words)',
                )
            if star:
                if len(words[0]) < (2 if words[0].isdigit() else PREFIX_MIN):
                    raise PatternError(
                        repr(text), f'"{alternative}": write at least {PREFIX_MIN} letters before *'
                    )
                prefixes.append(words[0])
            else:
                exact.add(words[0])
        slots.append(_Slot(frozenset(exact), tuple(prefixes)))
    if all(s.wildcard for s in slots):
        raise PatternError(repr(text), "a phrase needs at least one word besides *")
    return Phrase(tuple(slots), category, text)


def _another_word(word: str, candidate: str) -> bool:
    """Whether ``candidate`` is another word than ``word``, not a typo of it: the same stem
    with another tense ending (``TENSE_ENDINGS``) or another last vowel (``LAST_VOWELS``)."""
    if (
        len(word) == len(candidate)
        and word[:-1] == candidate[:-1]
        and frozenset((word[-1], candidate[-1])) in LAST_VOWELS
    ):
        return True
    if word[-2:] != candidate[-2:] and {word[-2:], candidate[-2:]} <= {"ea", "eo"}:
        return word[:-2] == candidate[:-2]
    for ending in TENSE_ENDINGS:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            other = candidate[len(stem) :]
            if candidate.startswith(stem) and other != ending and other in TENSE_ENDINGS:
                return True
    return False


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _starts_with(word: str, prefix: str) -> bool:
    """``word`` starts with ``prefix`` as written; a prefix of digits is a year ("20*" is 2019,
    not the 20 of "20 min ago")."""
    if prefix.isdigit():
        return len(word) == YEAR_DIGITS and word.isdigit() and word.startswith(prefix)
    return word.startswith(prefix)


def _starts_like(word: str, prefix: str) -> bool:
    """``word`` starts with ``prefix``, or (prefixes of five letters or more) with one typo."""
    if _starts_with(word, prefix):
        return True
    if len(prefix) < TYPO_MIN or prefix.isdigit() or len(word) < len(prefix) - 1:
        return False
    size = len(prefix)
    return any(OSA.distance(word[:n], prefix) <= 1 for n in (size - 1, size, size + 1))


Lookup = tuple[set[str], set[str]]
"""What one message word matches: (phrase words, prefixes); see ``_WordIndex.lookup``."""


class _WordIndex:
    """Which phrase words a message word matches: exactly, with one typo, or by prefix."""

    def __init__(
        self, phrases: Iterable[Phrase], known: Iterable[str] = (), strict: Iterable[str] = ()
    ) -> None:
        self.known = frozenset(known)
        """Words spelled right (the screens' own text): such a word is no typo of another
        phrase word ("pending" is not "ending", «negaron» not «pegaron»), except for a letter
        more or less at its end ("peligros" is "peligro")."""
        self.strict = frozenset(strict)
        """The file's ``spelled_right`` words: never another word, not even with a letter
        more or less at the end («me diga, a mi hermano» is no «digan a mi hermano»)."""
        self.exact: set[str] = set()
        prefixes: set[str] = set()
        for phrase in phrases:
            for slot in phrase.slots:
                self.exact.update(slot.words)
                prefixes.update(slot.prefixes)
        self._typo: dict[str, set[str]] = defaultdict(set)
        for word in self.exact:
            if len(word) >= TYPO_MIN and not word.isdigit():
                self._typo[word].add(word)
                for variant in _deletions(word):
                    self._typo[variant].add(word)
        self._prefixes: dict[str, list[str]] = defaultdict(list)
        for prefix in prefixes:
            self._prefixes[prefix[:2]].append(prefix)

    def lookup(self, word: str) -> Lookup:
        """(phrase words, prefixes) that ``word`` matches."""
        found: set[str] = {word} if word in self.exact else set()
        if len(word) >= TYPO_MIN - 1 and not word.isdigit():
            near = set(self._typo.get(word, ()))
            for variant in _deletions(word):
                near.update(self._typo.get(variant, ()))
            for candidate in near:
                if (
                    candidate not in found
                    and OSA.distance(word, candidate) <= 1
                    and not _another_word(word, candidate)
                    and not self._known_other(word, candidate)
                ):
                    found.add(candidate)
        prefixes = {p for p in self._prefixes.get(word[:2], ()) if _starts_like(word, p)}
        return found, prefixes

    def _known_other(self, word: str, candidate: str) -> bool:
        """Whether ``word`` is a ``spelled_right`` word, or a known word that is not
        ``candidate`` with a letter more or less at the end."""
        if word in self.strict:
            return True
        if word not in self.known:
            return False
        return not (word.startswith(candidate) or candidate.startswith(word))

    def exact_lookup(self, word: str) -> Lookup:
        """(phrase words, prefixes) that ``word`` matches as written, without typos."""
        found: set[str] = {word} if word in self.exact else set()
        return found, {p for p in self._prefixes.get(word[:2], ()) if _starts_with(word, p)}


def _fits(slot: _Slot, lookup: Lookup) -> bool:
    """Whether a message word (its ``lookup``) fills ``slot``."""
    exact, prefixes = lookup
    return (
        slot.wildcard
        or (bool(exact) and not exact.isdisjoint(slot.words))
        or (bool(prefixes) and not prefixes.isdisjoint(slot.prefixes))
    )  # isdisjoint builds no set: this runs for every candidate start


def _anchor(phrase: Phrase) -> _Slot:
    """The slot a phrase is indexed by: the one whose shortest word is longest.

    A phrase can only match a message holding a word of every slot, so indexing it by one slot
    loses nothing; indexing by the rarest-looking slot ("matar", not "me") means most messages
    reach no phrase at all, instead of the hundreds that start with "me", "they" or "i".
    """
    words = [s for s in phrase.slots if not s.wildcard]
    return max(words, key=lambda s: min(len(w) for w in (*s.words, *s.prefixes)))


class _PhraseSet:
    """Phrases compiled together, reached from a message's words through their anchor slot."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = tuple(phrases)
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._by_prefix: dict[str, list[int]] = defaultdict(list)
        for i, phrase in enumerate(self.phrases):
            anchor = _anchor(phrase)
            for word in anchor.words:
                self._by_word[word].append(i)
            for prefix in anchor.prefixes:
                self._by_prefix[prefix].append(i)

    def first(self, lookups: Sequence[Lookup]) -> Phrase | None:
        """The first phrase (in file order) found in a message (its words' ``lookups``)."""
        found = self.found(lookups, stop_at_first=True)
        return found[0] if found else None

    def found(self, lookups: Sequence[Lookup], stop_at_first: bool = False) -> list[Phrase]:
        """Every phrase found in a message (its words' ``lookups``), in file order."""
        result: list[Phrase] = []
        for phrase in self._reached(lookups):
            if next(self._positions(phrase, lookups), None) is not None:
                result.append(phrase)
                if stop_at_first:
                    break
        return result

    def where(self, phrase: Phrase, lookups: Sequence[Lookup]) -> list[int]:
        """The word positions where ``phrase`` starts in a message."""
        return list(self._positions(phrase, lookups))

    def starts(self, lookups: Sequence[Lookup]) -> list[int]:
        """The word positions where any phrase of the set starts in a message."""
        return sorted({p for phrase in self._reached(lookups) for p in self.where(phrase, lookups)})

    def _reached(self, lookups: Sequence[Lookup]) -> list[Phrase]:
        """The phrases (in file order) whose anchor slot some word of the message fills: only
        these can be in it."""
        reached: set[int] = set()
        for exact, prefixes in lookups:
            for word in exact:
                reached.update(self._by_word.get(word, ()))
            for prefix in prefixes:
                reached.update(self._by_prefix.get(prefix, ()))
        return [self.phrases[i] for i in sorted(reached)]

    def _positions(self, phrase: Phrase, lookups: Sequence[Lookup]) -> Iterator[int]:
        """The word positions where ``phrase`` starts in the message, first to last."""
        head = phrase.slots[0]
        for position, lookup in enumerate(lookups):
            if _fits(head, lookup) and self._rest(phrase, lookups, position):
                yield position

    @staticmethod
    def _rest(phrase: Phrase, lookups: Sequence[Lookup], start: int) -> bool:
        """Whether the slots after the first follow from ``start``, each at most ``MAX_GAP``
        words after the one before."""
        position = start
        for slot in phrase.slots[1:]:
            for step in range(1, MAX_GAP + 2):
                index = position + step
                if index >= len(lookups):
                    return False
                if _fits(slot, lookups[index]):
                    position = index
                    break
            else:
                return False
        return True


@dataclass
class _Message:
    """One message as the detector reads it, with what is looked up once and shared."""

    words: Sequence[str]
    lookups: Sequence[Lookup]
    index: _WordIndex
    now: bool
    """Whether the message has a word of now ("ahorita", "right now")."""
    _marks: dict[str, list[int]] = field(default_factory=dict)

    @cached_property
    def written(self) -> list[Lookup]:
        """The words as written, without typos: a typo may raise an alarm, never quiet one."""
        return [self.index.exact_lookup(w) for w in self.words]

    def marks(self, name: str, phrases: _PhraseSet) -> list[int]:
        """Where the quiet list ``name`` (its ``phrases``) starts in the message."""
        if name not in self._marks:
            self._marks[name] = phrases.starts(self.written)
        return self._marks[name]


def _phrase_sets(lists: Mapping[str, Mapping[str, list[str]]]) -> dict[str, _PhraseSet]:
    """Each named list's phrases (every language), compiled."""
    return {
        name: _PhraseSet([compile_phrase(t, name) for texts in by_lang.values() for t in texts])
        for name, by_lang in lists.items()
    }


class DangerDetector:
    """Finds danger in a message; built from ``DangerPatterns`` plus the built-in floor."""

    def __init__(
        self, patterns: DangerPatterns | None = None, known_words: Iterable[str] = ()
    ) -> None:
        """``known_words``: words spelled right, which are never read as a typo of another
        phrase word (see ``_WordIndex.known``)."""
        patterns = patterns or DangerPatterns()
        self.categories: dict[str, Category] = {c.id: c for c in patterns.categories}
        compiled: list[Phrase] = []
        for category in patterns.categories:
            for texts in patterns.phrases.get(category.id, {}).values():
                compiled.extend(compile_phrase(t, category.id) for t in texts)
        for category_id, floor in BUILTIN.items():
            self.categories.setdefault(category_id, Category(category_id, category_id))
            compiled.extend(compile_phrase(t, category_id) for t in floor)
        self._phrases = _PhraseSet(compiled)
        self._quiet = _phrase_sets(patterns.quiet)
        self._even_now = frozenset(patterns.even_now)
        self._unless = _phrase_sets(patterns.unless)
        self._classifier_quiet_by = patterns.classifier_quiet_by
        self._now = _PhraseSet(
            [compile_phrase(t, "now") for texts in patterns.now.values() for t in texts]
        )
        every = [self._phrases, self._now, *self._quiet.values(), *self._unless.values()]
        spelled_right = (w for words in patterns.spelled_right.values() for w in words)
        self._index = _WordIndex(
            (p for phrases in every for p in phrases.phrases), known_words, spelled_right
        )
        """One index for every list: a message's words are looked up once for all of them."""

    @classmethod
    def from_flows_dir(
        cls, flows_dir: Path | None, known_words: Iterable[str] = ()
    ) -> DangerDetector:
        """The detector for a flows folder (the built-in floor alone when it has no file)."""
        if flows_dir is None:
            return cls(None, known_words)
        return cls(load_patterns(flows_dir), known_words)

    def find(self, words: Sequence[str]) -> DangerHit | None:
        """The danger in normalised ``words`` (``tokens(text)``), or ``None``.

        Alarming categories are looked for first; fear only when nothing else is found.
        """
        lookups = self._lookups(words)
        hits = self._all(lookups)
        if not hits:
            return None
        message = _Message(words, lookups, self._index, self._now.first(lookups) is not None)
        fear: DangerHit | None = None
        for phrase in hits:
            category = self.categories[phrase.category]
            hit = DangerHit(category.id, category.goto, phrase.text, category.alone)
            if category.alone:
                fear = fear or hit
                continue
            if not self._quieted(phrase, category, message):
                return hit
        return fear

    def _quieted(self, phrase: Phrase, category: Category, message: _Message) -> bool:
        """Whether one of ``category``'s quiet lists holds within ``QUIET_SCOPE`` words of
        ``phrase`` (a word of now lifts every list but those marked ``even_now``)."""
        names = [name for name in category.quiet_by if self._holds(name, message)]
        if not names:
            return False
        spots = self._phrases.where(phrase, message.lookups)
        return any(
            abs(mark - spot) <= QUIET_SCOPE
            for name in names
            for mark in message.marks(name, self._quiet[name])
            for spot in spots
        )

    def quiet(self, words: Sequence[str], lists: Iterable[str] | None = None) -> bool:
        """Whether one of ``lists`` (default: the file's ``classifier_quiet_by``: the past, a
        return, the news, how things are somewhere, the case, a joke) holds in ``words`` with no
        word of now (lists marked ``even_now`` hold even then), for the classifier's own
        emergency vote, which has no category."""
        if lists is None:
            lists = self._classifier_quiet_by
        lookups = self._lookups(words)
        message = _Message(words, lookups, self._index, self._now.first(lookups) is not None)
        return any(
            self._holds(name, message) and bool(message.marks(name, self._quiet[name]))
            for name in lists
        )

    def _holds(self, name: str, message: _Message) -> bool:
        """Whether the quiet list ``name`` may quiet ``message`` at all: a word of now lifts it
        (unless it is marked ``even_now``), and so does one of its ``unless`` phrases (typos
        forgiven there: lifting a quiet list can only raise an alarm)."""
        if name not in self._quiet or (message.now and name not in self._even_now):
            return False
        unless = self._unless.get(name)
        return unless is None or unless.first(message.lookups) is None

    def _lookups(self, words: Sequence[str]) -> list[Lookup]:
        """What each word of a message matches, for every phrase list at once."""
        return [self._index.lookup(w) for w in words]

    def _all(self, lookups: Sequence[Lookup]) -> list[Phrase]:
        """The first phrase found of each category, in category order."""
        first: dict[str, Phrase] = {}
        for phrase in self._phrases.found(lookups):
            first.setdefault(phrase.category, phrase)
        return [first[c] for c in self.categories if c in first]

    def check(self, words: Sequence[str]) -> bool:
        """True when ``words`` hold an alarm (fear alone is not one)."""
        hit = self.find(words)
        return hit is not None and not hit.alone

    def __contains__(self, text: str) -> bool:
        return self.check(tokens(text))


# -- the file ----------------------------------------------------------------------------------


def load_patterns(flows_dir: Path) -> DangerPatterns:
    """Read ``flows_dir / DANGER_FILE``; an empty ``DangerPatterns`` when there is none.

    Raises ``PatternError`` (with the line) for a file that cannot be used: the content then
    does not load, so a broken danger file never replaces a working one.
    """
    path = flows_dir / DANGER_FILE
    if not path.is_file():
        return DangerPatterns()
    import yaml

    from bot.engine.yaml_lines import line_of, load_lines

    display = str(DANGER_FILE)
    try:
        raw = load_lines(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise PatternError(f"{display}:{line}", f"not valid YAML: {exc.problem}") from exc
    return parse_patterns(raw, display, lambda item: line_of(item, 1))


def parse_patterns(raw: Any, display: str = "danger.yaml", line_of: Any = None) -> DangerPatterns:
    """Turn the loaded YAML into ``DangerPatterns``, checking every field and phrase."""

    def where(item: Any = None) -> str:
        return f"{display}:{line_of(item) if line_of and item is not None else 1}"

    if not isinstance(raw, Mapping) or not isinstance(raw.get("categories"), list):
        raise PatternError(where(), 'the file must start with "categories:" (a list)')
    unknown = set(raw) - {"categories", "quiet", "now", "classifier_quiet_by", "spelled_right"}
    if unknown:
        raise PatternError(where(raw), f'unknown field "{sorted(unknown)[0]}"')
    patterns = DangerPatterns()
    quiet_names = set((raw.get("quiet") or {}).keys())
    for item in raw["categories"]:
        if not isinstance(item, Mapping) or not item.get("id"):
            raise PatternError(where(item), 'each category needs an "id"')
        extra = set(item) - {"id", "name", "goto", "alone", "quiet_by", "phrases"}
        if extra:
            raise PatternError(where(item), f'unknown field "{sorted(extra)[0]}" in {item["id"]}')
        quiet_by = tuple(item.get("quiet_by") or ())
        for name in quiet_by:
            if name not in quiet_names:
                raise PatternError(where(item), f'quiet_by "{name}" is not a list under "quiet:"')
        category = Category(
            id=str(item["id"]),
            name=str(item.get("name") or item["id"]),
            goto=str(item.get("goto") or EMERGENCY),
            alone=bool(item.get("alone", False)),
            quiet_by=quiet_by,
        )
        patterns.categories.append(category)
        patterns.lines[category.id] = line_of(item) if line_of else 1
        patterns.phrases[category.id] = _by_language(item.get("phrases"), where(item))
    for name, lists in (raw.get("quiet") or {}).items():
        if isinstance(lists, Mapping) and "even_now" in lists:
            if lists["even_now"] is True:
                patterns.even_now.add(str(name))
            lists = {k: v for k, v in lists.items() if k != "even_now"}
        if isinstance(lists, Mapping) and "unless" in lists:
            patterns.unless[str(name)] = _by_language(lists["unless"], where(lists["unless"]))
            lists = {k: v for k, v in lists.items() if k != "unless"}
        patterns.quiet[str(name)] = _by_language(lists, where(lists))
    patterns.now = _by_language(raw.get("now") or {}, where(raw))
    if "classifier_quiet_by" in raw:
        names = raw["classifier_quiet_by"]
        if not isinstance(names, list):
            raise PatternError(where(raw), '"classifier_quiet_by" must be a list of quiet lists')
        for name in names:
            if name not in quiet_names:
                raise PatternError(
                    where(raw), f'classifier_quiet_by "{name}" is not a list under "quiet:"'
                )
        patterns.classifier_quiet_by = tuple(str(n) for n in names)
    patterns.spelled_right = _spelled_right(raw.get("spelled_right") or {}, where(raw))
    return patterns


def _spelled_right(value: Any, where: str) -> dict[str, list[str]]:
    """The ``spelled_right`` words by language, each one word as the detector reads it."""
    lists = _by_language(value, where)
    for language, words in lists.items():
        for word in words:
            if len(tokens(word)) != 1:
                raise PatternError(
                    where, f"spelled_right {language}: {word!r} must be one word, not a phrase"
                )
    return {language: [tokens(w)[0] for w in words] for language, words in lists.items()}


def _by_language(value: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise PatternError(where, "phrases go under a language code: es: [...], en: [...]")
    result: dict[str, list[str]] = {}
    for language, phrases in value.items():
        if not isinstance(phrases, list):
            raise PatternError(where, f"{language}: write a list of phrases")
        texts = [str(p) for p in phrases]
        for text in texts:
            try:
                compile_phrase(text)
            except PatternError as exc:
                raise PatternError(where, f"{language}: {exc.message} ({text!r})") from exc
        result[str(language)] = texts
    return result
