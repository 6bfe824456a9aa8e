"""Ratings heard better for a person who has enrolled their voice (``voice-haven enroll``).

Wraps any recognizer, and takes the place of the plain second opinion
(``recognition.second_opinion``), which it extends. Only rating turns
change, and there "stop" and a call for help are always exactly what the
recognizer heard: they never depend on the enrollment.

At a rating turn the answer is compared with the person's own takes of
each number in Google's speech embedding (``audio.embedding``,
``templates``). Measured on fsdd-dev with two takes per digit enrolled,
the nearest take names the right digit for 96% of the most accented
speaker's other answers and all of the other two speakers', where
PocketSphinx alone hears 61-88%. So:

* an answer near one of the person's numbers (``accept_distance``) is that
  number, whatever the recognizer made of it: a missed answer, another
  number, or a command that is really a number said the person's way (one
  speaker's "two" comes through as "go", which means "next"). A command
  gives way only to a very near number, clearly nearer than any other
  (``command_distance``, ``command_margin``). An answer about as near two
  numbers is asked about ("I heard eight. Is that right?"; ``ambiguous``);
* an answer farther from every take is the rating model's when it is sure
  of it, as without an enrollment (``second_opinion``); otherwise the
  recognizer's: asked about when
  it names a number and another number's take is not far
  (``doubt_distance``), else weighed by the plain second opinion; but the
  takes veto its guesses, since an answer unlike all of them is rarely a
  number the person said.

Measured with ``scripts/bench_recognition.py`` (two takes per number
enrolled, the rest of the speaker's clips tested): see docs/PERFORMANCE.md.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ..audio.embedding import EmbeddingUnavailable, load_model
from ..audio.span import RATE
from ..vocabulary import Hearing, Intent
from .base import Recognizer, RecognizerUnavailable
from .second_opinion import (
    SecondOpinionRecognizer,
    SecondOpinionSettings,
    closed_choice,
    settled_rating,
)
from .templates import (
    EnrollmentSettings,
    OutdatedTemplates,
    TemplateError,
    VoiceTemplates,
    load_templates,
)
from .word_model import RATING_MODEL, WordModel, optional_word_model


class EnrolledRecognizer(SecondOpinionRecognizer):
    """A recognizer that knows how this person says the numbers."""

    def __init__(
        self,
        inner: Recognizer,
        templates: VoiceTemplates,
        settings: EnrollmentSettings | None = None,
        opinion: SecondOpinionSettings | None = None,
        rating_model: WordModel | None = None,
    ) -> None:
        if inner.sample_rate != RATE:
            raise RecognizerUnavailable(
                f"Voice enrollment needs a recognizer at {RATE} Hz, not {inner.sample_rate} Hz; "
                "run `voice-haven enroll --forget` to do without it."
            )
        super().__init__(inner, opinion, rating_model=rating_model)
        self.templates = templates
        self.enrollment = settings or EnrollmentSettings()

    def judge(self, heard: Hearing, pcm: np.ndarray) -> Hearing:
        """The rating turn's answer, weighed against the person's takes, then the rating model."""
        self._new_answer()
        nearest = self.templates.nearest(self._embedding(pcm))
        if self.enrollment.settles(nearest, heard.intent is Intent.COMMAND):
            taken = self._taken(heard, nearest.number)
            if nearest.distance < self.enrollment.ambiguous * nearest.runner_up_distance:
                return taken
            doubtful = self.settings.doubtful_confidence
            return replace(taken, confidence=doubtful, guess=nearest.runner_up)
        phrased = self._phrased(heard, pcm)
        if phrased is not None:
            return phrased
        if heard.intent is not Intent.RATING:
            return heard
        if heard.value != nearest.number and nearest.distance <= self.enrollment.doubt_distance:
            doubtful = min(heard.confidence, self.settings.doubtful_confidence)
            return replace(heard, confidence=doubtful, guess=nearest.number)
        return self.weigh(heard, closed_choice(self.inner, pcm))

    def _taken(self, heard: Hearing, number: int) -> Hearing:
        if heard.intent is Intent.RATING and heard.value == number:
            return replace(heard, confidence=max(heard.confidence, self.enrollment.confidence))
        return settled_rating(number, self.enrollment.confidence)


OUTDATED_NOTE = (
    ", not tuned to your voice: this version compares voices differently, "
    "so say the numbers once more with `voice-haven enroll`"
)


def with_enrollment(recognizer: Recognizer, data_dir: Path) -> tuple[Recognizer | None, str]:
    """The recognizer tuned to the person's voice and a note saying so; None if not enrolled.

    An enrollment another version made is not used, and the note says so;
    a damaged one stops the run with one sentence, and is left as it is.
    """
    try:
        templates = load_templates(data_dir)
        if templates is None:
            return None, ""
        load_model()
    except OutdatedTemplates:
        return None, OUTDATED_NOTE
    except (TemplateError, EmbeddingUnavailable) as exc:
        raise RecognizerUnavailable(str(exc)) from None
    rating_model, note = optional_word_model(RATING_MODEL, "rating model")
    tuned = EnrolledRecognizer(recognizer, templates, rating_model=rating_model)
    return tuned, ", tuned to your voice" + note
