"""A second opinion on every rating: what the recognizer hears when it must name a number.

The turn's own model (numbers among everyday words and commands) can say
"nothing heard", which is how unrelated speech is rejected. A closed
choice between the numbers (``Expect.NUMBER``) always names one, so alone
it would take a cough for a rating; as a second opinion it is useful twice:

* when the turn's model heard a rating and the closed choice names another
  number, the rating is doubtful: its confidence drops below
  ``EngineSettings.confirm_below`` and the session asks "I heard seven, is
  that right?" instead of recording a number that may be wrong;
* when the turn's model heard nothing in a short, voiced utterance (one
  word, as a number is), the closed choice becomes a ``guess``: still
  nothing heard, but the session asks about the guess instead of asking for
  the whole answer again.

Wraps any recognizer and changes only rating turns; commands and safety
phrases are exactly what the recognizer heard. ``select`` gives it to
PocketSphinx, whose own confidence says nothing (``Choice.second_opinion``).
Measured with ``scripts/bench_recognition.py``: see docs/PERFORMANCE.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..audio.span import voiced_seconds, voiced_span
from ..audio.voicing import voiced_frames
from ..vocabulary import Expect, Hearing, Intent
from .base import RatingJudge, Recognizer, recognize


@dataclass(frozen=True)
class SecondOpinionSettings:
    """When the closed choice doubts a rating or offers a guess."""

    doubtful_confidence: float = 0.5
    """Confidence of a rating the closed choice disagrees with: below ``confirm_below``."""

    guess_longest: float = 1.0
    """Seconds of voice a missed answer may span and still be guessed: one word.

    Measured on fsdd-dev, gsc-dev and the synthetic set: 1.0 s guessed as
    many missed human numbers as 1.5 s, and four in five of the synthetic
    ones, while asking about 0.7% of everyday sentences instead of 1.2%.
    """

    guess_voiced_frames: int = 6
    """10 ms steps with a pitch (``audio.voicing``) a guessed answer needs.

    A rustle or a breath has none, and is not worth a question.
    """


def closed_choice(recognizer: Recognizer, pcm: np.ndarray) -> int | None:
    """The number ``recognizer`` hears in ``pcm`` when it may choose only between numbers."""
    closed = recognize(recognizer, pcm[voiced_span(pcm)], Expect.NUMBER)
    return closed.value if closed.intent is Intent.RATING else None  # type: ignore[return-value]


class SecondOpinionRecognizer(RatingJudge):
    """A recognizer whose ratings are checked by a closed choice between the numbers."""

    def __init__(self, inner: Recognizer, settings: SecondOpinionSettings | None = None) -> None:
        super().__init__(inner)
        self.settings = settings or SecondOpinionSettings()

    def judge(self, heard: Hearing, pcm: np.ndarray) -> Hearing:
        """The rating turn's answer, doubted or with a guess where the closed choice says so."""
        if heard.intent is Intent.COMMAND:
            return heard
        if not heard.speech or (heard.intent is None and not self.worth_a_guess(pcm)):
            return heard
        return self.weigh(heard, closed_choice(self.inner, pcm))

    def weigh(self, heard: Hearing, guess: int | None) -> Hearing:
        """The answer given the closed choice: a rating it disputes is doubtful."""
        if heard.intent is Intent.RATING and guess is not None and guess != heard.value:
            doubtful = min(heard.confidence, self.settings.doubtful_confidence)
            return replace(heard, confidence=doubtful, guess=guess)
        return replace(heard, guess=guess)

    def worth_a_guess(self, pcm: np.ndarray) -> bool:
        """Is a missed answer short and voiced enough to be one number?"""
        settings = self.settings
        if voiced_seconds(pcm) > settings.guess_longest:
            return False
        return voiced_frames(pcm, self.sample_rate) >= settings.guess_voiced_frames
