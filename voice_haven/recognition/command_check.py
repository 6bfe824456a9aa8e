"""A command the recognizer missed or misheard is still heard: the command model as a last listen.

At a turn that waits for "yes" or "no", or for a command (a paused
session), a person who is not heard is asked again, and again: the worst
thing a device can do to someone with their eyes closed. PocketSphinx hears
nothing in some short answers it was made to hear: gsc-dev's human "yes"
and "no" now and then, and at a command turn about a third of the synthetic
set's commands ("help" as a filler "to", "next", "skip", "yeah"). It also
hears some as another command, "help" most often ("softer", "louder",
"nope"). So when it understood nothing in a short, pitched sound, or heard
a command other than "yes" or "no" in it, the command model
(``word_model``, trained on every phrase of every command said by synthetic
voices, against other words, the numbers and the calls for help) is asked.
When it is sure which command was said (its phrases together), and that it
was one at all, that command is taken; when it is less sure, the command is
taken only if PocketSphinx, made to choose between the command phrases
alone (``CommandChooser``), names it too. A "stop" phrase is only ever asked
about ("Did you say stop?", as ``stop_check`` does), since a wrong one would
end the session. A "yes" or "no" the recognizer heard stays as it is: the
recognizer, trained on real voices, tells those apart better.

It runs after ``stop_check``: a sound the stop model is sure was "stop" is
asked about as "stop" before this model is heard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..audio.embedding import speech_embedding
from ..audio.voicing import one_short_word
from ..vocabulary import COMMAND_BY_PHRASE, Expect, Hearing, Intent
from .base import Recognizer, TurnJudge
from .stop_check import CHECKED_CONFIDENCE as DOUBTFUL_STOP
from .word_model import MeaningScores, WordModel

CHECKED_CONFIDENCE = 0.7
"""Confidence of a command only the command model heard: it is carried out."""

TURNS = (Expect.YES_NO, Expect.COMMAND)
"""The turns it listens at: where a short answer can only be a command. A rating
turn has its own second opinion; a step's playback and the bedside service's
wait for their wake phrase hear a room's talk, which must not become a command."""


@dataclass(frozen=True)
class CommandCheckSettings:
    """When a sound the recognizer missed is taken for a command."""

    sure: float = 0.9
    """The model's confidence in the command (its phrases together) among all commands, at least."""

    command_like: float = 0.3
    """Its probability of "none of these" (another word, a number, a call for help), at most."""

    longest: float = 1.2
    """Seconds of voice a command may span: one word or a short phrase ("say that again")."""

    voiced_frames: int = 6
    """Pitched 10 ms steps (``audio.voicing``) it needs: a rustle or a breath has none."""

    agreed: float = 0.8
    """The model's confidence, at least, in a command the closed choice names too.

    Two opinions instead of one: a closed choice between every command
    phrase (``CommandChooser``) names a command in any sound, and the model
    alone is often unsure of a voice it never heard. Simulated on the
    synthetic set and gsc-dev (closed choice and model, each on its own):
    at 0.8 and "none of these" at most ``agreed_command_like`` the two
    agreed on 22 of the 128 synthetic commands PocketSphinx missed, all
    right, and on none of gsc-dev's 260 other words and noises; at 0.7, on
    26 and 2 ("left" as "next"). Through the session's path, 10 of the 128
    were taken, all right, and no gsc-dev clip changed.
    """

    agreed_command_like: float = 0.5
    """Its probability of "none of these", at most, for a command the closed choice names too."""


class CommandChooser(Protocol):
    def closed_command(self, pcm: np.ndarray) -> str | None:
        """The command a short answer sounds most like, when it must be one of them."""


class CommandCheck(TurnJudge):
    """A recognizer whose missed answers at a command or yes/no turn get one more listen."""

    def __init__(
        self,
        inner: Recognizer,
        model: WordModel,
        settings: CommandCheckSettings | None = None,
        chooser: CommandChooser | None = None,
    ) -> None:
        super().__init__(inner)
        self.model = model
        self.settings = settings or CommandCheckSettings()
        self.chooser = chooser
        """A closed choice between the commands (PocketSphinx's), asked when the model is unsure."""

    def judges(self, expect: Expect) -> bool:
        return expect in TURNS

    def judge(self, heard: Hearing, pcm: np.ndarray) -> Hearing:
        """``heard``, or the command the model is sure of in a short sound the recognizer missed."""
        gate = self.settings.longest, self.settings.voiced_frames
        if not self._may_be_command(heard) or not one_short_word(pcm, self.sample_rate, *gate):
            return heard
        scores = self.model.meaning_scores(speech_embedding(pcm), COMMAND_BY_PHRASE)
        if scores.meaning == heard.value:
            return heard
        sure = (
            scores.confidence >= self.settings.sure
            and scores.none_of_them <= self.settings.command_like
        )
        if not sure and not self._agreed(scores, pcm):
            return heard
        confidence = DOUBTFUL_STOP if scores.meaning == "stop" else CHECKED_CONFIDENCE
        return Hearing(scores.said, Intent.COMMAND, scores.meaning, confidence, True)

    def _agreed(self, scores: MeaningScores[str], pcm: np.ndarray) -> bool:
        """Whether the closed choice names the command the model leans to (``agreed``)."""
        if self.chooser is None or scores.confidence < self.settings.agreed:
            return False
        if scores.none_of_them > self.settings.agreed_command_like:
            return False
        return self.chooser.closed_command(pcm) == scores.meaning

    @staticmethod
    def _may_be_command(heard: Hearing) -> bool:
        """Nothing understood, or a command the recognizer may have misheard."""
        if not heard.understood:
            return True
        return heard.intent is Intent.COMMAND and heard.value not in ("yes", "no")
