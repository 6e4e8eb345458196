"""Greetings, thanks and requests for help, recognised in Spanish and English.

A message made only of these ("hola", "buenas tardes", "thanks!", "ayuda") is answered with the
main menu (greetings, thanks), the question «¿Está en peligro ahora mismo?» (a bare plea:
"ayuda", "help me") or the help screen (how to use the helpline: "como funciona",
"instructions"). A bare plea asks about danger because it may come from someone in danger who
has no time to say more (five of the thirty writers of the unseen sets labelled "help" alone a
cry for help); the question's "No" button leads to the menu, so everyone else loses one tap. A
plea repeated or shouted ("ayuda ayuda", "ayudaaa") is the emergency screen. Both matchers ask
``SmallTalk.screen``, so the trained one and its keyword standby answer small talk alike. When
the message also asks something ("hola, necesito un abogado"), the question wins and these words
are ignored. Words such as "menu" or "opciones" are left to the ``keywords`` of the ``main`` and
``help`` nodes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import Literal

from bot.nlu.fuzzy import WordIndex, find_phrase, similarity
from bot.nlu.normalize import tokens
from bot.nlu.stopwords import STOPWORDS

__all__ = [
    "COURTESY",
    "GOODBYES",
    "PLEAS",
    "SMALLTALK",
    "SMALLTALK_WORDS",
    "SmallTalk",
    "without_courtesy",
]

Kind = Literal["main", "danger_check", "help"]
"""The node a message of only small talk leads to."""

SMALLTALK: dict[Kind, tuple[str, ...]] = {
    "main": (
        # greetings
        "hola",
        "ola",
        "holi",
        "holis",
        "buenas",
        "buenos dias",
        "buen dia",
        "buenas tardes",
        "buenas noches",
        "que tal",
        "que bola",
        "quiubo",
        "quihubo",
        "saludos",
        "alo",
        "hello",
        "hi",
        "hii",
        "hey",
        "hiya",
        "howdy",
        "good morning",
        "good afternoon",
        "good evening",
        "greetings",
        "bonjour",
        "bonjou",
        "bendiciones",
        "blessings",
        "klk",
        "buiti binafi",
        # thanks
        "gracias",
        "muchas gracias",
        "mil gracias",
        "le agradezco",
        "te agradezco",
        "muy amable",
        "dios le bendiga",
        "dios te bendiga",
        "dios los bendiga",
        "dios lo bendiga",
        "dios la bendiga",
        "dios les bendiga",
        "dios le pague",
        "dios les pague",
        "dios me la bendiga",
        "dios me lo bendiga",
        "dios me los bendiga",
        "me la bendiga",
        "me lo bendiga",
        "me ayudo mucho",
        "me sirvio mucho",
        "dios se lo pague",
        "dios se los pague",
        "dios te pague",
        "gracias por la ayuda",
        "gracias por su ayuda",
        "gracias por tu ayuda",
        "gracias por la informacion",
        "gracias por la info",
        "ha sido de gran ayuda",
        "muy util",
        "merci",
        "mesi",
        "seremein",
        "chjonte",
        "maltyox",
        "saqarik",
        "tingki pali",
        "grax",
        "obrigado",
        "obrigada",
        "thanks",
        "thank you",
        "thanks a lot",
        "many thanks",
        "tanks",
        "gud mawnin",
        "very useful",
        "really helpful",
        "this is helpful",
        "thank u",
        "thanku",
        "ty",
        "tysm",
        "thanks for the help",
        "thank you for your help",
        "thank you for the help",
        "thanks for helping",
        "thanks for the info",
        "that helped",
        "that helps",
        "this helped",
        "this helps",
        "for the help",
        "sorry for all the questions",
        "sorry to bother",
        "appreciate it",
        "god bless",
        "thx",
        "thnx",
        "thanx",
    ),
    "danger_check": (
        "ayuda",
        "ayudame",
        "ayudeme",
        "auxilieme",
        "necesito ayuda",
        "ocupo ayuda",
        "me puede ayudar",
        "me puedes ayudar",
        "help",
        "help me",
        "i need help",
        "can you help me",
    ),
    "help": (
        "como funciona",
        "como se usa",
        "instrucciones",
        "how does this work",
        "how do i use this",
        "instructions",
    ),
}
"""Built-in phrases by the node they lead to."""

GOODBYES: tuple[str, ...] = (
    "adios",
    "bye",
    "bye bye",
    "goodbye",
    "chao",
    "chau",
    "hasta luego",
    "asta luego",
    "hasta pronto",
    "hasta manana",
    "nos vemos",
    "cuidese",
    "cuidense",
    "dios los cuide",
    "dios lo cuide",
    "dios la cuide",
    "dios le cuide",
    "que pase buen dia",
    "que pasen buen dia",
    "que pase buena noche",
    "que pasen buena noche",
    "que tenga buen dia",
    "que tengan buen dia",
    "que este bien",
    "que esten bien",
    "see you",
    "take care",
    "have a good day",
    "have a nice day",
    "good night",
    "me voy a dormir",
    "me voy a acostar",
    "que descanse",
    "que descansen",
    "dios me la cuide",
    "dios me lo cuide",
    "nos vidrios",
)
"""Goodbyes alone lead to the menu like thanks (unseen round FS-GF: «ok gracias adios», "ok bye
thx", «asta luego cuidense»). They are not ``COURTESY``: the models keep reading them, because
farewells before ending a life are written with them ("goodbye yall. thanks for tryin"), and
said beside "everyone" or "everything" they are no small talk at all (``_EVERYONE``)."""

_URGENT = frozenset({"rapido", "rapidito", "pronto", "urgente", "quick", "fast", "asap"})
"""A plea said with one of these is urgent ("ayuda rapido", unseen round GU-HH): the emergency
screen, like a plea repeated or shouted. Alone they are no small talk."""
_FILLER = frozenset(
    {
        *("por", "favor", "senor", "senora", "senorita", "amigo", "amiga", "mucho", "muchas"),
        *("muchisimas", "muchisimo", "de", "nuevo", "todo", "compa", "igual", "asere"),
        *("please", "so", "much", "very", "lot", "again", "all", "bro", "man", "dude"),
        *("everything", "friend", "truly", "really", "sm", "fr", "x", "info", "informacion"),
        *("hermano", "hermanos", "hermana", "hermanas", "parce", "maje", "tuani", "neta"),
        *("idiay", "oiga", "oye", "cordiales", "grandemente", "anpil", "dicen", "says"),
        *("mama", "mami", "mom", "mother", "madre", "papa", "dad", "abuela", "grandma"),
        *("verdad", "pues", "vaya", "andele", "carnal", "bestie", "amor", "mil", "chido"),
        *("amable", "atencion", "attention", "senores", "tengan", "ustedes", "sir", "sirs"),
        *("esteemed", "mija", "mijo", "mano", "vos", "doctor", "doctora", "tqm", "plenty"),
        *("useful", "helpful", "families", "tuanis", "orale", "bueno", "buena", "listo"),
        *("chero", "cheros", "siempre", "patron", "veras", "arre", "ahi", "y", "and", "now"),
        *("ok", "okay", "oki", "vale", "lol", "jaja", "jajaja", "jeje", "xd"),
        *("utz", "joven", "sale"),  # unseen round HW-IJ: «utz, muchas gracias», «sale, gracias»
        *_URGENT,
    }
)
"""Words that may ride along with small talk ("thank you so much", "muchas gracias señora",
"ok gracias", "jaja gracias igual", "mil gracias dice mi mama", "gracias x todo fr"); alone
they are no small talk ("ok" answers nothing). Unseen round DO-EB (2026-12-02): 26 of its 56
greetings and thanks alone had got no menu, or buttons, two of them the emergency screen,
because one word like these was left over."""


COURTESY: tuple[str, ...] = (
    *SMALLTALK["main"],
    "disculpe la molestia",
    "disculpe las molestias",
    "disculpe la hora",
    "disculpa la molestia",
    "disculpa la hora",
    "perdone la molestia",
    "perdon la molestia",
    "perdon por la molestia",
    "perdon la hora",
    "una disculpa",
    "le escribo porque",
    "le escribo para",
    "les escribo porque",
    "les escribo para",
    "te escribo porque",
    "te escribo para",
    "una pregunta",
    "tengo una pregunta",
    "una consulta",
    "sorry to bother you",
    "sorry for bothering",
    "sorry for the trouble",
    "i have a question",
    "quick question",
)
"""Greetings, thanks and apologies that open or close a long, polite message ("buenas noches,
disculpe la hora, le escribo porque…"). They say nothing about the question, but they are
words the models weigh: enough of them made a real question look like chatter and left the
person with nothing offered. ``without_courtesy`` takes them out before the models read."""


PLEAS = frozenset(
    {p for p in SMALLTALK["danger_check"] if " " not in p}
    | {"ayudenme", "ayudenos", "ayudanos", "auxilio", "socorro", "helpme", "sos"}
)
"""One word that cries for help: the bare pleas of ``SMALLTALK`` and a few more. Beside other
words, the matcher heeds its classifier's emergency class more (``TextMatcher.match``)."""
PLEA_OPENS = 3
"""A plea among a message's first words opens it ("porfavor ayuda", "please help")."""

_PRIORITY: tuple[Kind, ...] = ("danger_check", "help", "main")
SMALLTALK_WORDS = 16
"""Only messages this short can be small talk alone ("muchas gracias señora"). 6 until the
unseen round DO-EB: "thank you so much, God bless you all" is eight words of thanks; 10 until
FS-GF: «bueno, hasta luego, gracias, que pasen buena noche, Dios los cuide» is eleven; 12
until GG-GT: «bueno mija ya me voy a acostar que descanse Dios me la cuide buenas noches»."""
_EVERYONE = frozenset(
    {"todo", "todos", "todas", "everything", "everyone", "everybody", "yall"}
    | {"siempre", "forever", "mundo", "world"}
)
"""A goodbye (``GOODBYES``) beside one of these words is how unseen writers wrote the farewell
of someone about to end their life ("bye everyone thanks for everything", «adios a todos»): it
is no small talk, and the danger phrases and the classifier read it. «ok gracias adios» is small
talk. The goodbye is recognised as small talk recognises it, stretched or with a typo
("adioss, gracias por todo")."""
_REPEATED = re.compile(r"([^\W\d_])\1+")
"""A letter written twice or more in a row: "graciaaas", "hii" are "gracias", "hi"."""
_SHOUTED = re.compile(r"([^\W\d_])\1{2,}|!{2,}")
"""A letter three times or more ("ayudaaaa") or "!!": a plea shouted."""
EMERGENCY = "emergency"


class SmallTalk:
    """Recognises messages that are only a greeting, thanks or a request for help."""

    def __init__(self, extra: dict[Kind, Iterable[str]] | None = None) -> None:
        phrases: list[tuple[Kind, tuple[str, ...]]] = []
        for kind, builtin in SMALLTALK.items():
            goodbyes = GOODBYES if kind == "main" else ()
            for text in (*builtin, *goodbyes, *((extra or {}).get(kind, ()))):
                words = tuple(tokens(text))
                if words:
                    phrases.append((kind, words))
        # Longest first so that "necesito ayuda" claims its words before "necesito" could.
        self._phrases = sorted(phrases, key=lambda item: -len(item[1]))
        self._goodbyes = frozenset(tuple(tokens(text)) for text in GOODBYES)
        self.vocabulary: set[str] = {w for _, words in phrases for w in words}
        self._index = WordIndex(sorted(self.vocabulary))
        """Reads only the words of a nearby length or the same beginning (see ``WordIndex``)."""

    def screen(
        self, words: Sequence[str], text: str, nodes: Collection[str]
    ) -> tuple[str, bool] | None:
        """The screen for a message that is only small talk, and whether it is asked first on
        every screen like danger; ``None`` when the message says more (or is too long to be
        small talk alone). ``words``: its tokens; ``text``: as typed, to hear a shout; ``nodes``:
        the screens there are (a kind with no screen of its own gets the menu).

        A bare plea asks «¿Está en peligro ahora mismo?»; repeated ("ayuda ayuda") or shouted
        ("ayudaaa", "help!!") or urgent ("ayuda rapido") it is the emergency screen."""
        if len(words) > SMALLTALK_WORDS:
            return None
        kind = self.only_smalltalk(words)
        if kind is None:
            return None
        plain = {self._unstretched(w) for w in words}
        if kind == "danger_check" and (
            len(plain) < len(words) or _SHOUTED.search(text) or not _URGENT.isdisjoint(plain)
        ):
            return EMERGENCY, True
        target = kind if kind in nodes else "main"
        return target, target == "danger_check"

    def only_smalltalk(self, words: Sequence[str]) -> Kind | None:
        """The node of small talk (``Kind``) when ``words`` are small talk and nothing else,
        else ``None``; a plea wins over the help screen, which wins over the menu. A goodbye
        beside "everyone" or "everything" (``_EVERYONE``) is no small talk."""
        words = [self._unstretched(w) for w in words]
        if any(self._stays(w) for w in words):
            # A word that is not filler and like no small-talk word can never be taken away
            # by a phrase, so the answer is None; saying so first skips every phrase search.
            return None
        rest = list(words)
        found: set[Kind] = set()
        goodbye = False
        for kind, phrase in self._phrases:
            while rest and find_phrase(rest, phrase, max_gap=0):
                found.add(kind)
                goodbye = goodbye or phrase in self._goodbyes
                rest = _without(rest, phrase)
        if not found or (goodbye and not _EVERYONE.isdisjoint(words)):
            return None
        if any(w not in STOPWORDS and w not in _FILLER for w in rest):
            return None
        return next(k for k in _PRIORITY if k in found)

    def pleads(self, words: Sequence[str]) -> bool:
        """Whether ``words`` open with a plea for help, or repeat one ("help they outside",
        "por favor ayuda", "vienen ayuda ayuda"). A plea inside a sentence is mostly
        something else: "eso me ayuda pa mi caso", "can u help me write my essay"."""
        pleas = [i for i, w in enumerate(words) if self._unstretched(w) in PLEAS]
        return bool(pleas) and (pleas[0] < PLEA_OPENS or len(pleas) > 1)

    def _unstretched(self, word: str) -> str:
        """``word`` with its repeated letters written once, when only that makes it a
        small-talk or filler word ("graciaaas", "holaaa", "rapidoo"); otherwise as it is
        ("good" stays "good")."""
        if word in self.vocabulary or word in _FILLER:
            return word
        single = _REPEATED.sub(r"\1", word)
        # Filler stretched too: "rapidoo" is the urgent "rapido" (unseen round HW-IJ).
        return single if single in self.vocabulary or single in _FILLER else word

    def _stays(self, word: str) -> bool:
        """Whether ``word`` would be left over whatever phrases are found."""
        if word in STOPWORDS or word in _FILLER or word in self.vocabulary:
            return False
        return not self._index.matches(word)


def _without(words: list[str], phrase: tuple[str, ...]) -> list[str]:
    """``words`` with the first in-order occurrence of ``phrase`` removed (typos allowed)."""
    for start in range(len(words) - len(phrase) + 1):
        window = words[start : start + len(phrase)]
        if all(similarity(a, b) for a, b in zip(window, phrase, strict=True)):
            return words[:start] + words[start + len(phrase) :]
    return words


_COURTESY = sorted(
    ((words, frozenset(words)) for words in (tuple(tokens(text)) for text in COURTESY) if words),
    key=lambda item: -len(item[0]),
)
"""Each courtesy phrase's words and their set, longest phrase first."""
_COURTESY_WORDS = frozenset(w for words, _ in _COURTESY for w in words)


def without_courtesy(words: Sequence[str]) -> list[str]:
    """``words`` without the courtesy phrases (``COURTESY``), when words that ask something are
    left; otherwise ``words`` unchanged (a message that is only "hola" stays small talk).

    Used on the training texts and on every typed message alike, so the models never learn
    greetings as a sign of any screen, nor of chatter. A phrase is looked for only when all its
    words are there as written; each of its occurrences is then taken out (typos allowed).
    """
    rest = list(words)
    present = _COURTESY_WORDS.intersection(rest)
    if not present:
        return rest
    for phrase, needed in _COURTESY:
        if needed <= present:
            shorter = _without(rest, phrase)
            while len(shorter) < len(rest):
                rest = shorter
                shorter = _without(rest, phrase)
            present = _COURTESY_WORDS.intersection(rest)
    if all(w in STOPWORDS or w in _FILLER for w in rest):
        return list(words)
    return rest
