"""Ratings heard better for a person who has enrolled their voice (``voice-haven enroll``).

Wraps any recognizer. Only rating turns change; commands and safety
phrases are always exactly what the recognizer heard, so "stop" and a
call for help never depend on the enrollment.

At a rating turn, two opinions besides the recognizer's own are formed
from the same audio:

* which of the person's enrolled numbers the answer is nearest to
  (``templates``; this is what knows their accent), and
* what the recognizer hears when it may choose only between the numbers
  (``Expect.NUMBER``: a closed choice, so it always names one).

Either opinion alone is wrong too often to act on; when both name the same
number they are rarely wrong together. So:

* a rating the recognizer heard stands unless both opinions agree on a
  different number; then that number is taken;
* an answer the recognizer missed becomes a rating only when both agree,
  the answer is close to the person's takes (``accept_distance``) and about
  as long as one word (``length_ratio``). Anything else stays "not heard",
  and the session asks again, as it would without enrollment.

Measured with ``scripts/bench_recognition.py`` (two takes per number
enrolled, the rest of the speaker's clips tested): see docs/PERFORMANCE.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..audio.cepstra import RATE, cepstra, voiced_span
from ..vocabulary import NUMBER_WORDS, Expect, Hearing, Intent
from .base import Recognizer, RecognizerUnavailable, Utterance, recognize
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
    """Confidence given to a rating recovered this way (the recognizer's own is 0.9)."""


class EnrolledRecognizer:
    """A recognizer that knows how this person says the numbers."""

    def __init__(
        self,
        inner: Recognizer,
        templates: VoiceTemplates,
        settings: EnrollmentSettings | None = None,
    ) -> None:
        if inner.sample_rate != RATE:
            raise RecognizerUnavailable(
                f"Voice enrollment needs a recognizer at {RATE} Hz, not {inner.sample_rate} Hz; "
                "run `voice-haven enroll --forget` to do without it."
            )
        self.inner = inner
        self.templates = templates
        self.settings = settings or EnrollmentSettings()
        self.name = inner.name
        self.sample_rate = inner.sample_rate

    def start(self, expect: Expect) -> Utterance:
        utterance = self.inner.start(expect)
        if expect is not Expect.RATING:
            return utterance
        return _EnrolledUtterance(self, utterance)

    def nearest(self, features: np.ndarray) -> tuple[int | None, float]:
        """The enrolled number nearest to the answer, and its distance.

        The distance is infinite when the answer is far too long or short
        to be one of the person's numbers (``length_ratio``).
        """
        distances = self.templates.distances(features)
        number = min(distances, key=distances.__getitem__)
        if not np.isfinite(distances[number]):
            return None, float("inf")
        low, high = self.settings.length_ratio
        ratio = len(features) / self.templates.length(number)
        return number, distances[number] if low <= ratio <= high else float("inf")

    def closed_choice(self, pcm: np.ndarray) -> int | None:
        """The number the recognizer hears when it may choose only between numbers."""
        closed = recognize(self.inner, pcm[voiced_span(pcm)], Expect.NUMBER)
        return closed.value if closed.intent is Intent.RATING else None  # type: ignore[return-value]


class _EnrolledUtterance:
    def __init__(self, owner: EnrolledRecognizer, inner: Utterance) -> None:
        self.owner = owner
        self.inner = inner
        self.audio: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        self.audio.append(np.asarray(samples, dtype=np.int16))
        self.inner.feed(samples)

    def finish(self) -> Hearing:
        heard = self.inner.finish()
        if heard.intent in (Intent.COMMAND, Intent.SAFETY) or not self.audio:
            return heard
        if heard.intent is Intent.RATING and heard.value not in self.owner.templates.takes:
            return heard
        pcm = np.concatenate(self.audio)
        nearest, distance = self.owner.nearest(cepstra(pcm))
        if nearest is None or heard.value == nearest:
            return heard
        if heard.intent is not Intent.RATING and distance > self.owner.settings.accept_distance:
            return heard
        if self.owner.closed_choice(pcm) != nearest:
            return heard
        if heard.intent is Intent.RATING:
            return replace(heard, text=NUMBER_WORDS[nearest], value=nearest)
        return Hearing(
            text=NUMBER_WORDS[nearest],
            intent=Intent.RATING,
            value=nearest,
            confidence=self.owner.settings.confidence,
            speech=True,
        )


def with_enrollment(recognizer: Recognizer, data_dir: Path) -> tuple[Recognizer, str]:
    """The recognizer, wrapped when the person has enrolled, and a note saying so."""
    try:
        templates = load_templates(data_dir)
    except TemplateError as exc:
        raise RecognizerUnavailable(str(exc)) from None
    if templates is None:
        return recognizer, ""
    return EnrolledRecognizer(recognizer, templates), ", tuned to your voice"
