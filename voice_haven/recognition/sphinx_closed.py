"""Closed grammars PocketSphinx chooses with when a turn's own model was not enough.

Each holds a few phrases and nothing else, so the decoder maps any answer
to one of them: no rejection, which the word models beside it provide.

* Every way the vocabulary frames a number (``vocabulary.RATING_FRAMES``:
  "seven", "about seven", "seven out of ten"...): the decoder aligns an
  answer to one and says, frame by frame, where each word began and ended,
  so the number word can be cut out (``framed_number``).
* Every command phrase (``vocabulary.COMMANDS``): which command a short
  answer the turn's model missed sounds most like (``command_check``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..vocabulary import COMMAND_BY_PHRASE, NUMBER_WORDS, RATING_FRAMES
from .framed_number import NumberSpan

FRAMED_SEARCH = "framed-number"
"""The decoder's search for the alignment of a rating."""

COMMAND_SEARCH = "closed-command"
"""The decoder's search for the closed choice between commands."""


FRAME_SAMPLES = 160
"""Samples per decoder frame: 10 ms at 16 kHz."""

_ALTERNATE = re.compile(r"\(\d+\)$")
"""The suffix of an alternative pronunciation in a segment's word: "two(2)"."""


def framed_grammar() -> str:
    """The JSGF grammar of every framing of every number."""
    frames = " | ".join(f"( {frame.format(n='<n>')} )" for frame in RATING_FRAMES)
    numbers = " | ".join(NUMBER_WORDS)
    return f"#JSGF V1.0;\ngrammar framed;\n<n> = {numbers} ;\npublic <rating> = {frames} ;\n"


def command_grammar() -> str:
    """The JSGF grammar of every command phrase."""
    phrases = " | ".join(f"( {phrase} )" for phrase in COMMAND_BY_PHRASE)
    return f"#JSGF V1.0;\ngrammar commands;\npublic <command> = {phrases} ;\n"


def number_span(segments: Iterable[Any], offset: int = 0) -> NumberSpan | None:
    """The number word among a decoded utterance's segments, in samples from ``offset``.

    Each segment has ``word``, ``start_frame`` and ``end_frame`` (PocketSphinx's
    ``Decoder.seg()``); silences and noises are skipped. The rating's number
    comes first of the number words: in "ten out of ten" the first "ten".
    """
    words = [
        (_ALTERNATE.sub("", s.word), s.start_frame, s.end_frame)
        for s in segments
        if not s.word.startswith(("<", "[", "("))
    ]
    numbers = [w for w in words if w[0] in NUMBER_WORDS]
    if not numbers:
        return None
    word, first, last = numbers[0]
    return NumberSpan(
        number=NUMBER_WORDS.index(word),
        start=offset + first * FRAME_SAMPLES,
        end=offset + (last + 1) * FRAME_SAMPLES,
        framed=len(words) > 1,
    )
