"""Danger words: someone in danger now, hurt, kidnapped or thinking of suicide.

These are checked before anything else, in every language at once (a person in danger writes in
whatever language comes first), and tolerate typos. A false alarm costs one screen with
emergency numbers; a missed alarm can cost a life, so the lists lean towards alarm. Past harm
told as part of a story ("they killed my brother", "me torturaron") is not an alarm by itself:
the topic screens answer it. Editors can add phrases through the ``emergency`` node's
``keywords`` in the flows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.nlu.fuzzy import find_phrase
from bot.nlu.normalize import tokens

__all__ = ["DANGER_PHRASES", "DangerDetector"]

DANGER_PHRASES: dict[str, tuple[str, ...]] = {
    "es": (
        # in danger now, threatened now
        "peligro",
        "en peligro",
        "corre peligro",
        "corro peligro",
        "corremos peligro",
        "peligro de muerte",
        "emergencia",
        "auxilio",
        "socorro",
        "911",
        "me estan amenazando",
        "nos estan amenazando",
        "me amenazan de muerte",
        "amenaza de muerte",
        "amenazas de muerte",
        "amenazado de muerte",
        "amenazaron de muerte",
        "amenazada de muerte",
        "me estan siguiendo",
        "me vienen siguiendo",
        "estan afuera de mi casa",
        "me estan buscando",
        "nos estan buscando",
        "me van a hacer algo",
        # they want to kill me
        "me quieren matar",
        "nos quieren matar",
        "me quiere matar",
        "quieren matarme",
        "me van a matar",
        "nos van a matar",
        "van a matarme",
        "me va a matar",
        "me matan",
        "me mataran",
        "me van a desaparecer",
        # hurt
        "herido",
        "herida",
        "heridos",
        "lastimado",
        "lastimada",
        "sangrando",
        "me hirieron",
        "me golpearon",
        "me estan golpeando",
        "me pego",
        "me pega",
        "me golpea",
        "me dispararon",
        "me balearon",
        "me apunalaron",
        "me violaron",
        "me esta violando",
        # kidnapped
        "secuestrado",
        "secuestrada",
        "secuestrados",
        "secuestraron",
        "secuestro",
        "secuestrar",
        "me levantaron",
        "lo levantaron",
        "la levantaron",
        "levantaron a mi",
        "me tienen encerrado",
        "me tienen encerrada",
        "me tienen amarrado",
        "no me dejan salir",
        "desaparecieron a mi",
        # suicide, self-harm
        "suicidio",
        "suicidarme",
        "suicida",
        "suicidar",
        "matarme",
        "me quiero matar",
        "quitarme la vida",
        "quitar la vida",
        "me quiero morir",
        "quiero morir",
        "quiero morirme",
        "no quiero vivir",
        "ya no quiero vivir",
        "no quiero seguir viviendo",
        "ya no aguanto",
        "hacerme dano",
        "cortarme",
    ),
    "en": (
        "danger",
        "in danger",
        "emergency",
        "911",
        "threatened right now",
        "threatening me",
        "threatening us",
        "being threatened",
        "death threat",
        "death threats",
        "following me",
        "they found me",
        "outside my house",
        "outside my door",
        "looking for me",
        "they want to kill me",
        "want to kill me",
        "going to kill me",
        "gonna kill me",
        "trying to kill me",
        "will kill me",
        "kill me",
        "kill us",
        "am hurt",
        "is hurt",
        "are hurt",
        "got hurt",
        "badly hurt",
        "hurt me",
        "hurt us",
        "hurting me",
        "injured",
        "bleeding",
        "beat me",
        "beating me",
        "shot me",
        "stabbed",
        "raped",
        "kidnapped",
        "kidnap",
        "kidnapping",
        "abducted",
        "locked me",
        "wont let me leave",
        "will not let me leave",
        "suicide",
        "suicidal",
        "kill myself",
        "killing myself",
        "end my life",
        "take my life",
        "want to die",
        "wanna die",
        "do not want to live",
        "dont want to live",
        "not want to live anymore",
        "hurt myself",
        "harm myself",
        "self harm",
    ),
}
"""Built-in phrases per language; matched word by word, in order, with typos allowed."""


class DangerDetector:
    """Says whether a message contains a danger phrase, in any enabled language."""

    def __init__(self, phrases: Iterable[str]) -> None:
        unique = {tuple(tokens(p)) for p in phrases}
        self._phrases: tuple[tuple[str, ...], ...] = tuple(sorted(p for p in unique if p))

    @classmethod
    def for_languages(cls, languages: Sequence[str], extra: Iterable[str] = ()) -> DangerDetector:
        """Built-in phrases of every enabled language (English and Spanish are always checked:
        they are the languages of the people this helpline serves), plus editors' phrases."""
        codes = {*languages, "es", "en"}
        phrases = [p for code in sorted(codes) for p in DANGER_PHRASES.get(code, ())]
        return cls([*phrases, *extra])

    def check(self, words: Sequence[str]) -> bool:
        """True when any danger phrase occurs in the normalised ``words``."""
        return any(find_phrase(words, phrase, strict=True) for phrase in self._phrases)

    def __contains__(self, text: str) -> bool:
        return self.check(tokens(text))
