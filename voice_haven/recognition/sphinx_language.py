"""What PocketSphinx listens for in each kind of turn: a small language model.

A closed grammar maps every sound to its nearest phrase, so "what time is
it" would come back as a number. Instead each kind of turn gets a tiny
n-gram language model in which the answers (``vocabulary.phrases_for``)
carry most of the probability and a few hundred everyday words
(``sphinx_filler.txt``) carry the rest. Speech that is not an answer is
transcribed as everyday words, and ``vocabulary.interpret`` then finds no
answer in it: nothing heard. PocketSphinx's n-gram search handles a few
hundred words far faster than a JSGF word or phone loop, which is what made
this design fit a Pi.

The model is a bigram model written as ARPA text: answer phrases give the
bigrams (so "out of ten" hangs together), filler words are unigrams only
(their order carries no information), and Katz-style back-off weights keep
every distribution summing to one.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache
from importlib import resources
from itertools import pairwise

from ..vocabulary import COMMANDS, DEFAULT_WAKE, SAFETY_PHRASES, Expect, phrases_for

FILLER_MASS = 0.1
"""Share of the unigram probability given to filler words; more rejects more.

Measured with ``scripts/bench_recognition.py`` (language weight 15): 0.3
rejected no more unrelated speech than 0.1 and lost more real answers.
"""

SAFETY_WEIGHT = 2
"""Safety phrases count this many times in the model, so a call for help is not lost.

Measured on the synthetic set: 2 took crisis phrases heard from 65% to 74%
for 2 points less rejection of everyday sentences; 4 cost 6 points.
"""

STOP_WEIGHT = 2
"""How many times the phrases of "stop" count in the model, so "stop" is not lost either.

"help" is in the model five times over (a command, and in two weighted
safety phrases), which drew a plain "stop" towards it. Measured on
gsc-dev with the second listen for "stop" in place: 2 took human "stop" at
a yes/no turn from 77% to 83%, for one point of rejection of other words;
3 gained nothing more.
"""

DISCOUNT = 0.5
"""Absolute discount taken from each seen bigram to leave room for back-off."""


@cache
def filler_words() -> tuple[str, ...]:
    """Everyday words that compete with the answers (comments and blanks skipped)."""
    text = resources.files(__package__).joinpath("sphinx_filler.txt").read_text("utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return tuple(dict.fromkeys(words))


def answer_words(expect: Expect, wake: str = DEFAULT_WAKE) -> set[str]:
    return {w for phrase in phrases_for(expect, wake) for w in phrase.split()}


def all_words(wake: str = DEFAULT_WAKE) -> set[str]:
    """Every word any turn's model can produce: the dictionary must cover these."""
    words = set(filler_words())
    for expect in Expect:
        words |= answer_words(expect, wake)
    return words


LEFT_OUT = frozenset({"a(2)"})
"""Pronunciations not loaded: "a" said as "ay" is "eight" with a soft t.

CMUdict's second "a" is the stressed article, rare in "it's a seven"; with
it, "eight" came back as "a" (nothing heard) for 21 of 25 of one fsdd-dev
speaker's takes. Measured on every 4th fsdd-dev clip, leaving it out took
two speakers from 54% to 60% and from 75% to 81%; rejection of everyday
sentences moved from 87.5% to 86.8%.
"""

ADDED: dict[str, str] = {"six(2)": "S IH K"}
"""Pronunciations added to CMUdict's: "six" with its last s too faint to hear.

An s lives above 4 kHz, which an 8 kHz microphone or phone line does not
carry, and "six" then came back as "it's a". Measured on every 4th fsdd-dev
clip: one speaker 82% to 86%, the others and every rejection unchanged.
"""


def dictionary_subset(cmudict_lines: list[str], words: set[str]) -> tuple[str, set[str]]:
    """The pronunciation lines for ``words`` (with alternates) and the words it lacks.

    Loading only these few hundred entries instead of all of CMUdict makes
    start-up faster and the decoder smaller.
    """
    kept: list[str] = []
    found: set[str] = set()
    for line in cmudict_lines:
        head = line.split(maxsplit=1)[0] if line.strip() else ""
        word = head.split("(", 1)[0]
        if word in words and head not in LEFT_OUT:
            kept.append(line.rstrip("\n"))
            found.add(word)
    kept += [f"{head} {phones}" for head, phones in ADDED.items() if head.split("(")[0] in found]
    return "\n".join(kept) + "\n", words - found


def arpa_for(
    expect: Expect,
    known: set[str],
    filler_mass: float = FILLER_MASS,
    discount: float = DISCOUNT,
    wake: str = DEFAULT_WAKE,
    safety_weight: int = SAFETY_WEIGHT,
) -> str:
    """The ARPA text of the language model for one kind of turn.

    Phrases with a word missing from the dictionary are left out (the
    dictionary check in the tests keeps that from happening silently).
    A heavier ``safety_weight`` makes the model of the second listen for a
    call for help (``sphinx``).
    """
    phrases = [p for p in phrases_for(expect, wake) if all(w in known for w in p.split())]
    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for phrase in phrases:
        words = ["<s>", *phrase.split(), "</s>"]
        weight = safety_weight if phrase in SAFETY_PHRASES else 1
        if phrase in COMMANDS["stop"]:
            weight = STOP_WEIGHT
        for _ in range(weight):
            unigrams.update(words[1:])
            bigrams.update(pairwise(words))
    if expect is Expect.NUMBER:
        filler_mass = 0.0  # a closed choice: the second opinion must name a number
    filler = [w for w in filler_words() if w in known and w not in unigrams and filler_mass > 0]
    total = sum(unigrams.values())
    uni = {w: (1.0 - filler_mass) * c / total for w, c in unigrams.items()}
    uni.update(dict.fromkeys(filler, filler_mass / max(1, len(filler))))
    uni["<s>"] = 0.0

    history: Counter[str] = Counter()
    for (first, _), count in bigrams.items():
        history[first] += count
    bi = {pair: (count - discount) / history[pair[0]] for pair, count in bigrams.items()}
    backoff: dict[str, float] = {}
    for first in history:
        followers = [second for (a, second) in bi if a == first]
        left = 1.0 - sum(bi[(first, second)] for second in followers)
        backoff[first] = left / max(1e-9, 1.0 - sum(uni[second] for second in followers))

    lines = ["\\data\\", f"ngram 1={len(uni)}", f"ngram 2={len(bi)}", "", "\\1-grams:"]
    for word, p in uni.items():
        weight = math.log10(backoff[word]) if word in backoff else 0.0
        lines.append(f"{_log10(p):.5f} {word} {weight:.5f}")
    lines += ["", "\\2-grams:"]
    lines += [f"{_log10(p):.5f} {a} {b}" for (a, b), p in bi.items()]
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)


def _log10(p: float) -> float:
    return math.log10(p) if p > 0 else -99.0
