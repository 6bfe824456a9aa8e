"""Ratings heard better for a person who has enrolled their voice (``voice-haven enroll``).

Wraps any recognizer, and takes the place of the plain second opinion
(``recognition.second_opinion``), which it extends. Only rating turns
change; commands and safety phrases are always exactly what the recognizer
heard, so "stop" and a call for help never depend on the enrollment.

At a rating turn, two opinions besides the recognizer's own can be formed
from the same audio:

* which of the person's enrolled numbers the answer is nearest to
  (``templates``; this is what knows their accent; cheap), and
* what the recognizer hears when it may choose only between the numbers
  (``closed_choice``; as costly as hearing the answer again, so formed only
  when the takes do not already settle it).

Either opinion alone is wrong too often to act on; when both name the same
number they are rarely wrong together. So:

* a rating the person's takes agree with is trusted. Otherwise the closed
  choice is asked: when it agrees with the takes, their number is taken;
  else the rating is weighed as the plain second opinion weighs it
  (doubtful, and so asked about, when the closed choice names another);
* an answer the recognizer missed becomes a rating only when both agree,
  the answer is close to the person's takes (``accept_distance``) and about
  as long as one word (``length_ratio``). A short one they agree on less
  closely is asked about (the ``guess``); anything else stays "not heard",
  and the session asks again, as it would without enrollment.

Measured with ``scripts/bench_recognition.py`` (two takes per number
enrolled, the rest of the speaker's clips tested): see docs/PERFORMANCE.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..audio.cepstra import RATE, cepstra
from ..vocabulary import NUMBER_WORDS, Hearing, Intent
from .base import Recognizer, RecognizerUnavailable
from .second_opinion import SecondOpinionRecognizer, SecondOpinionSettings, closed_choice
from .templates import TemplateError, VoiceTemplates, load_templates


@dataclass(frozen=True)
class EnrollmentSettings:
    """When an enrolled voice may turn a missed answer into a rating."""

    accept_distance: float = 0.25
    """Largest warp distance (``templates.warp_distance``) to the nearest take.

    Measured on fsdd-dev (two takes enrolled, 1,440 answers) and gsc-dev's
    other words: 0.25 recovered 10 points of the three speakers' answers
    while rejection of other words stayed at the recognizer's own; 0.35
    recovered one point more and rejected 11 points fewer.
    """

    length_ratio: tuple[float, float] = (0.5, 2.0)
    """A recovered answer's voiced length, as a share of the takes' mean length.

    A rating is one word; a sentence that merely sounds like it is longer.
    """

    confidence: float = 0.8
    """Confidence of a rating the person's takes back: recovered, corrected or doubted.

    Above ``EngineSettings.confirm_below``: two opinions agreeing are not asked about.
    """


class EnrolledRecognizer(SecondOpinionRecognizer):
    """A recognizer that knows how this person says the numbers."""

    def __init__(
        self,
        inner: Recognizer,
        templates: VoiceTemplates,
        settings: EnrollmentSettings | None = None,
        opinion: SecondOpinionSettings | None = None,
    ) -> None:
        if inner.sample_rate != RATE:
            raise RecognizerUnavailable(
                f"Voice enrollment needs a recognizer at {RATE} Hz, not {inner.sample_rate} Hz; "
                "run `voice-haven enroll --forget` to do without it."
            )
        super().__init__(inner, opinion)
        self.templates = templates
        self.enrollment = settings or EnrollmentSettings()

    def nearest(self, features: np.ndarray) -> tuple[int | None, float]:
        """The enrolled number nearest to the answer, and its distance.

        The distance is infinite when the answer is far too long or short
        to be one of the person's numbers (``length_ratio``).
        """
        distances = self.templates.distances(features)
        number = min(distances, key=distances.__getitem__)
        if not np.isfinite(distances[number]):
            return None, float("inf")
        low, high = self.enrollment.length_ratio
        ratio = len(features) / self.templates.length(number)
        return number, distances[number] if low <= ratio <= high else float("inf")

    def judge(self, heard: Hearing, pcm: np.ndarray) -> Hearing:
        """The rating turn's answer, weighed against the person's own takes."""
        if not heard.speech or (
            heard.intent is Intent.RATING and heard.value not in self.templates.takes
        ):
            return super().judge(heard, pcm)
        nearest, distance = self.nearest(cepstra(pcm))
        if heard.intent is Intent.RATING:
            if heard.value == nearest:
                return replace(heard, confidence=max(heard.confidence, self.enrollment.confidence))
            closed = closed_choice(self.inner, pcm)
            return self._agreed(nearest, closed) if closed == nearest else self.weigh(heard, closed)
        close = nearest is not None and distance <= self.enrollment.accept_distance
        if not (close or self.worth_a_guess(pcm)):
            return heard
        closed = closed_choice(self.inner, pcm)
        if closed is None or closed != nearest:
            return heard
        return self._agreed(nearest, closed) if close else replace(heard, guess=closed)

    def _agreed(self, number: int, closed: int) -> Hearing:
        return Hearing(
            text=NUMBER_WORDS[number],
            intent=Intent.RATING,
            value=number,
            confidence=self.enrollment.confidence,
            speech=True,
            guess=closed,
        )


def with_enrollment(recognizer: Recognizer, data_dir: Path) -> tuple[Recognizer | None, str]:
    """The recognizer tuned to the person's voice and a note saying so; None if not enrolled."""
    try:
        templates = load_templates(data_dir)
    except TemplateError as exc:
        raise RecognizerUnavailable(str(exc)) from None
    if templates is None:
        return None, ""
    return EnrolledRecognizer(recognizer, templates), ", tuned to your voice"
