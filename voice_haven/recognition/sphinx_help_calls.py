"""Calls for help as PocketSphinx hears them: which are doubtful, which were begun.

A call for help must never be lost, and must not end a session by
mistake either. PocketSphinx's hypothesis says more than yes or no: a
safety phrase heard whole among everyday words is a call for help; one
heard in part, beside a number or a command, or only in its first words
is doubtful, and the engine asks "Are you asking for help?" before the
crisis line (``engine.help_meant``). ``sphinx`` applies these rules and
runs the second listen with the safety phrases weighted more.
"""

from __future__ import annotations

from ..vocabulary import SAFETY_PHRASES, Expect, normalize
from .sphinx_language import answer_words

HELP_TURNS = frozenset(Expect) - {Expect.WAKE, Expect.NUMBER}
"""Turns with a second listen for a call for help: those where the person is answering.

Not while waiting for the wake phrase, where the room's talk and the
television would be asked "Are you asking for help?" at night, nor in
the second opinion's closed choice between the numbers.
"""


BEGUN_CALLS: dict[str, str] = {"i need": "i need help"}
"""The first words of a safety phrase whose last PocketSphinx often loses, and the phrase.

In "i need help" the "help" came back as "ten", "zero", "kill" or
nothing for several synthetic voices. Measured on the synthetic set,
gsc-dev and fsdd-dev with the turn's model: "i need" without a safety
phrase was heard in 22 of the 247 calls for help, 21 of 608 everyday
sentences, 2 of 836 ratings, 2 of 513 commands, one noise clip and no
human answer or word. Like the second listen it needs more than
``SphinxSettings.help_shortest`` of pitched voice: every one of the calls for help had
it, one everyday sentence, both commands and the noise clip did not, and
neither does a lone "nine", which can sound like "i need". Such an answer
is a doubtful call for help: asked about, never acted on at once.
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


def begun_call(text: str) -> str | None:
    """The safety phrase whose first words (``BEGUN_CALLS``) are in ``text``, if any."""
    padded = f" {normalize(text)} "
    return next((phrase for start, phrase in BEGUN_CALLS.items() if f" {start} " in padded), None)
