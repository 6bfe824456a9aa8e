"""Calls for help as PocketSphinx hears them: which are doubtful, which were heard in part.

A call for help must never be lost, and must not end a session by
mistake either. PocketSphinx's hypothesis says more than yes or no: a
safety phrase heard whole among everyday words is a call for help; one
heard in part, beside a number or a command, or only by its first or
last words ("i need", "... me") is doubtful, and the engine asks "Are
you asking for help?" before the crisis line (``engine.help_meant``).
``sphinx`` applies these rules and runs the second listen with the
safety phrases weighted more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary import SAFETY_PHRASES, Expect, normalize
from .sphinx_language import answer_words

HELP_TURNS = frozenset(Expect) - {Expect.WAKE, Expect.NUMBER}
"""Turns with a second listen for a call for help: those where the person is answering.

Not while waiting for the wake phrase, where the room's talk and the
television would be asked "Are you asking for help?" at night, nor in
the second opinion's closed choice between the numbers.
"""


@dataclass(frozen=True)
class PartialCall:
    """Part of a safety phrase that PocketSphinx often hears with the rest lost."""

    pattern: re.Pattern[str]
    """Where the part must lie in the transcript."""
    phrase: str
    """The safety phrase it stands for."""
    shortest: float
    """Seconds of voice the utterance needs beyond a pitch, to keep short answers out."""


_NOT_HELP = ("for", "to", "by", "with", "of", "about", "on", "let", "give", "excuse")
"""Words before a last "me" that make an everyday phrase of it: "that works for me", "excuse me"."""

PARTIAL_CALLS: tuple[PartialCall, ...] = (
    PartialCall(re.compile(r"\bi need\b"), "i need help", 1.0),
    PartialCall(re.compile(rf"\b(?!(?:{'|'.join(_NOT_HELP)})\b)\S+ me$"), "help me", 0.0),
    PartialCall(re.compile(r"\bwant to myself\b"), "i want to kill myself", 0.0),
)
"""Calls for help heard in part: the start kept and the end lost, or a word lost.

"i need": in "i need help" the "help" came back as "ten", "zero", "kill"
or nothing for several synthetic voices. Measured on the synthetic set,
gsc-dev and fsdd-dev with the turn's model: "i need" without a safety
phrase was heard in 22 of the 247 calls for help, 21 of 608 everyday
sentences, 2 of 836 ratings, 2 of 513 commands, one noise clip and no
human answer or word. It needs more than a second of pitched voice:
every one of the calls for help had it, one everyday sentence, both
commands and the noise clip did not, and neither does a lone "nine",
which can sound like "i need".

A last word "me" after another word: in "help me" and "please help me"
the "help" came back as "still", "end", "build", "tell" or a number
("three me", "resume me"). Measured the same way, an utterance of two
words or more ending in "me" was heard in 10 of the 247 calls for help,
one of the 608 everyday sentences and nothing else (a lone "me" is a
number lost, and is left to the second opinion); three of the ten were
shorter than a second. People end everyday phrases with "me" too ("a
five for me", "that works for me", "excuse me"), which the benchmark's
sentences do not: a "me" after such a word (``_NOT_HELP``) is not taken
for "help me"; none of the ten calls for help had one.

"want to myself": "kill" lost from "i want to kill myself", in 2 of the
247 calls for help and nothing else; "myself" alone is no sign, PocketSphinx
put it in 17 everyday sentences.

Each is a doubtful call for help: asked about, never acted on at once.
"""


def help_search(expect: Expect) -> str:
    """The search of the second listen for a call for help at this kind of turn."""
    return f"{expect.value}-help"


DOUBTFUL_HELP_CONFIDENCE = 0.4
"""Confidence of a call for help heard only in part or beside an answer: checked first.

Measured on the synthetic set, PocketSphinx heard a call for help in 96
everyday sentences, ratings and commands; in 43 of them only part of a
safety phrase ("want to kill" in "the cat wants to go outside") or the
phrase beside a number or a command ("help me five eight" in "put it on
the table"). Of the 187 calls for help it heard, 48 looked like that.
Asked about, the first no longer end a session in crisis care; the second
reach the crisis line one question later.
"""

_SAFETY_WORDS = frozenset(w for phrase in SAFETY_PHRASES for w in phrase.split())


def doubtful_call(text: str, phrase: str, expect: Expect, wake: str) -> bool:
    """Whether a call for help (``phrase``) was heard in ``text`` only in part or beside an answer.

    A whole phrase among everyday words ("i think i want to die") is not
    doubtful: the model's everyday words stand for speech it does not know.
    """
    padded = f" {normalize(text)} "
    if f" {phrase} " not in padded:
        return True
    rest = padded.replace(f" {phrase} ", " ", 1).split()
    answers = answer_words(expect, wake) - _SAFETY_WORDS
    return any(word in answers for word in rest)


def partial_call(text: str) -> PartialCall | None:
    """The first of ``PARTIAL_CALLS`` heard in ``text``, if any."""
    clean = normalize(text)
    return next((call for call in PARTIAL_CALLS if call.pattern.search(clean)), None)
