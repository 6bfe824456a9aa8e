"""A call for help the recognizer missed is still asked about: the call model as a last listen.

A call for help must never be lost. PocketSphinx, even with its second
listen (the turn's model with the safety phrases weighted more), heard
nothing at all in some: 18 of the synthetic set's 247 ("suicide", "help
me", "i need help right now"...), most of them from espeak-ng's Welsh,
Caribbean and RP voices. So when it understood nothing in an utterance of
pitched voice, the call model (``word_model``, trained by ``scripts/make_call_model.py``
on the safety phrases said alone and at the end of sentences, against
everyday sentences, answers and words) is asked about every stretch of it
(``WordModel.likeliest_stretch``). When one stretch is surely a safety
phrase, the answer comes back as a doubtful call for help: the engine asks
"Are you asking for help?", and anything but "no" brings the crisis line
(``engine.help_meant``).

It also doubts a call for help PocketSphinx heard whole, in clear words,
unless some stretch of the utterance surely sounds like one: everyday
sentences ("i forgot to call my mother" heard as "i want to kill
myself") and answers ("about eight" as "help me", "speed up" as "i need
help") that would otherwise bring the crisis line at once are asked about
first. It never acts on a call at once, and never turns a call the
recognizer heard into anything else: what PocketSphinx heard as a call for
help stays one, at most asked about (``base.JudgedUtterance``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio.embedding import speech_embedding
from ..audio.span import voiced_seconds
from ..audio.voicing import voiced_frames
from ..vocabulary import Expect, Hearing, Intent
from .base import Recognizer, TurnJudge
from .sphinx_help_calls import DOUBTFUL_HELP_CONFIDENCE, HELP_TURNS
from .word_model import WordModel


@dataclass(frozen=True)
class CallCheckSettings:
    """When an utterance the recognizer missed is asked about as a call for help."""

    call_like: float = 0.2
    """The likeliest stretch's probability of "none of these", at most.

    Measured on the synthetic set, gsc-dev and every 3rd fsdd-dev clip with
    the turn's model: of the 18 calls for help PocketSphinx heard nothing
    in, 11 lie below 0.2, and of everything else it heard nothing in, 3 of
    466 everyday sentences ("that was a funny film" as "i need help") and
    no rating, command, human word, digit or noise clip. At 0.3, 13 calls
    for 4 everyday sentences, 3 of gsc-dev's words, 2 commands and a rating.
    """

    shortest: float = 0.5
    """Seconds of voice it needs: the shortest call, "help me" or "suicide", said quickly."""

    voiced_frames: int = 10
    """Pitched 10 ms steps (``audio.voicing``) it needs: a rustle or a cough has none."""

    heard_unlike: float = 0.3
    """The likeliest stretch's "none of these" from which a call heard whole is asked about.

    A call for help acted on at once ends the session in crisis care, so
    it takes two opinions: PocketSphinx's words and a stretch the call
    model is nearly sure of. Measured on the synthetic set with the turn's
    model and every other check in place: of the 20 ratings and everyday
    sentences PocketSphinx heard as a whole call ("help me" in "about
    eight"), 18 lie at 0.3 or above, and of its 121 calls heard whole, 10
    ("suicide", "emergency" and "please help me" in some voices), which
    are then asked about and still reach the crisis line unless the person
    says "no". At 0.5, 11 and 1. The first threshold, 0.8, already asked
    about 26 others (its highest true call lay at 0.69); these 20 lie below it.
    """


class CallCheck(TurnJudge):
    """A recognizer whose missed answers get one more listen, for a call for help."""

    def __init__(
        self, inner: Recognizer, model: WordModel, settings: CallCheckSettings | None = None
    ) -> None:
        super().__init__(inner)
        self.model = model
        self.settings = settings or CallCheckSettings()

    def judges(self, expect: Expect) -> bool:
        return expect in HELP_TURNS

    def judge(self, heard: Hearing, pcm: np.ndarray) -> Hearing:
        """``heard``, or a doubtful call for help when the model is sure of one it missed."""
        settings = self.settings
        if heard.understood or voiced_seconds(pcm) <= settings.shortest:
            return heard
        if voiced_frames(pcm, self.sample_rate) < settings.voiced_frames:
            return heard
        scores = self.model.likeliest_stretch(speech_embedding(pcm))
        if scores.none_of_them > settings.call_like:
            return heard
        return Hearing(scores.word, Intent.SAFETY, scores.word, DOUBTFUL_HELP_CONFIDENCE, True)

    def call_confidence(self, heard: Hearing, pcm: np.ndarray) -> float:
        """Doubtful when no stretch of the utterance sounds like a call for help."""
        if heard.confidence <= DOUBTFUL_HELP_CONFIDENCE:
            return heard.confidence
        scores = self.model.likeliest_stretch(speech_embedding(pcm))
        if scores.none_of_them >= self.settings.heard_unlike:
            return min(heard.confidence, DOUBTFUL_HELP_CONFIDENCE)
        return heard.confidence
