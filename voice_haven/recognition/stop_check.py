"""A "stop" the recognizer missed is still asked about: the stop model as a last listen.

"stop" must work at any moment, and a person with their eyes closed, upset,
may say it in a way the recognizer does not catch: PocketSphinx, even with
its second listen (a keyword spotter), missed 13% of gsc-dev's human
"stop"s at a yes/no turn, and at a command turn heard a quarter to a half of
the synthetic set's 19 "stop"s as "help". So when the recognizer understood nothing in a
short, pitched sound, or heard one word of another command, the stop model
(``word_model``) is asked. When it is sure the sound was "stop", and not
"yes", "no" or any other word it learned (among them "help", "pause" and
"next"), the answer comes back as a doubtful "stop": the engine asks "Did
you say stop?" first, and anything but "no" stops
(``EngineSettings.confirm_stop_below``). A "yes" or "no" the recognizer
heard stays as it is: the model's own words, where the recognizer, trained
on real voices, is the better judge.

Wraps any recognizer, at every turn that listens for "stop" except the
bedside service's wait for its wake phrase, where "stop" changes nothing
and a television's talk should not be questioned at night.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio.embedding import speech_embedding
from ..audio.voicing import one_short_word
from ..vocabulary import Expect, Hearing, Intent, allowed_commands
from .base import Recognizer, TurnJudge
from .word_model import WordModel

CHECKED_CONFIDENCE = 0.4
"""Confidence of a "stop" only the stop model heard: below ``confirm_stop_below``, so asked."""


@dataclass(frozen=True)
class StopCheckSettings:
    """When a sound the recognizer missed is asked about as "stop"."""

    sure: float = 0.9
    """The model's confidence in "stop" among "yes", "no" and "stop", at least."""

    stop_like: float = 0.3
    """Its probability of "none of these" (another word, or noise), at most."""

    longest: float = 1.0
    """Seconds of voice a "stop" may span: one word."""

    voiced_frames: int = 6
    """Pitched 10 ms steps (``audio.voicing``) it needs: a rustle or a breath has none."""

    heard_sure: float = 0.75
    """``sure``, for one word the recognizer heard as another command ("help" for "stop").

    Less is asked of the model there: the recognizer has found a spoken word
    already, not a rustle, and a "stop" carried out as "help" traps the
    person, where a needless "Did you say stop?" costs a "no". Measured on
    the synthetic set's 19 "stop"s at a command turn: the 5 PocketSphinx
    heard as "help" are now asked about, where ``sure``, ``stop_like`` and
    ``voiced_frames`` had found none of them; no other answer changed (every
    3rd fsdd-dev clip, gsc-dev at a rating, yes/no and command turn, the
    synthetic ratings, commands, everyday sentences and calls for help).
    """

    heard_stop_like: float = 0.35
    """``stop_like``, for one word the recognizer heard as another command."""

    heard_voiced_frames: int = 1
    """``voiced_frames``, for one word the recognizer heard as another command.

    No guard against noise is needed where the recognizer heard a word,
    and some voices' "stop" has only a few pitched steps.
    """


class StopCheck(TurnJudge):
    """A recognizer whose missed answers get one more listen, for "stop"."""

    def __init__(
        self, inner: Recognizer, model: WordModel, settings: StopCheckSettings | None = None
    ) -> None:
        super().__init__(inner)
        self.model = model
        self.settings = settings or StopCheckSettings()

    def judges(self, expect: Expect) -> bool:
        return expect is not Expect.WAKE and "stop" in allowed_commands(expect)

    def judge(self, heard: Hearing, pcm: np.ndarray) -> Hearing:
        """``heard``, or a doubtful "stop" when the model is sure of one the recognizer missed."""
        if not self._may_be_stop(heard):
            return heard
        settings = self.settings
        sure, stop_like, pitched = settings.sure, settings.stop_like, settings.voiced_frames
        if heard.understood:
            sure, stop_like = settings.heard_sure, settings.heard_stop_like
            pitched = settings.heard_voiced_frames
        if not one_short_word(pcm, self.sample_rate, settings.longest, pitched):
            return heard
        scores = self.model.scores(speech_embedding(pcm))
        if scores.word != "stop" or scores.confidence < sure or scores.none_of_them > stop_like:
            return heard
        return Hearing("stop", Intent.COMMAND, "stop", CHECKED_CONFIDENCE, True)

    def _may_be_stop(self, heard: Hearing) -> bool:
        """Nothing understood, or one word of a command the model learned as none of its own."""
        if not heard.understood:
            return True
        return (
            heard.intent is Intent.COMMAND
            and heard.value not in self.model.words
            and len(heard.text.split()) == 1
        )
