"""Typed answers to a screen's question: "si", "no, solo tengo miedo", "yes" act as its buttons.

Why: most people on WhatsApp and Telegram answer a question by typing, not by tapping. A
screen's buttons may carry ``typed:`` answers per language (content data, so an NGO adds the
ways people answer without touching code). A message that *begins* with one of them presses
that button; the words after it ("no, *solo tengo miedo*") are the rest, which the engine still
checks for danger before pressing (``bot.engine.runner``).

Messages are compared as the matcher compares them (``bot.nlu.normalize.tokens``: no case, no
accents, SMS spellings expanded, "siii" → "si") and word by word with the matcher's typo
tolerance (``bot.nlu.fuzzy.similarity``: none in words of four letters or fewer, where one
letter changes the meaning, one up to nine). The longest answer found wins ("no estoy en
peligro" over "no"); when two buttons tie, nothing is pressed: a question answered both ways
is shown again rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine.model import Button
from bot.nlu.fuzzy import similarity
from bot.nlu.normalize import tokens

__all__ = ["TypedAnswer", "typed_answer"]


@dataclass(frozen=True)
class TypedAnswer:
    """A button pressed by typing: the answer's words, and the words that came after them."""

    button: Button
    answer: tuple[str, ...]
    rest: tuple[str, ...]


def _starts_with(words: Sequence[str], answer: Sequence[str]) -> bool:
    if not answer or len(answer) > len(words):
        return False
    return all(similarity(w, a) for w, a in zip(words, answer, strict=False))


def typed_answer(buttons: Sequence[Button], text: str) -> TypedAnswer | None:
    """The button (of those shown, ``buttons``) that ``text`` answers with, or ``None``.

    Every language's answers are tried whatever the conversation's language: someone whose
    phone is in Spanish may still type "yes".
    """
    if not any(b.typed for b in buttons):
        return None
    words = tokens(text)
    if not words:
        return None
    best: TypedAnswer | None = None
    tie = False
    for button in buttons:
        for answers in button.typed.values():
            for answer in answers:
                phrase = tuple(tokens(answer))
                if not _starts_with(words, phrase):
                    continue
                if best is None or len(phrase) > len(best.answer):
                    best, tie = TypedAnswer(button, phrase, tuple(words[len(phrase) :])), False
                elif len(phrase) == len(best.answer) and button.key != best.button.key:
                    tie = True
    return None if tie else best
