"""The number inside a framed rating, heard as a word on its own.

"About seven", "it's a seven" and "seven out of ten" are ratings too, and
the rating model (``word_model``) hears them whole: over 1.4 s of sound the
number is a third of it or less, and for many voices the model cannot say
which number it was (on the synthetic set, "seven out of ten" came back as
nothing heard, or was asked about as the wrong number, for two in five of
its clips). But the words around the number are always the same few, so a
recognizer that aligns the answer to its likeliest framing
(``NumberLocator``; PocketSphinx does, ``sphinx_closed``) says where
the number lies; cut out, it is a one-word answer, which is what the number
model (``word_model``) knows best.

The second opinion (``second_opinion``) asks this only about an answer it
could not settle (missed, guessed at, or to be asked about), that the
rating model finds rating-like, and that the alignment puts words around;
it takes the number only when the rating model leans to it too. Measured
on the synthetic set (docs/PERFORMANCE.md): 23 of its ratings missed or to
be asked about were then taken at once, all right, and 18 missed ones were
asked about as the right number; 4 of its 608 everyday sentences were
taken for a rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..audio.embedding import speech_embedding
from .word_model import WordModel


@dataclass(frozen=True)
class NumberSpan:
    """Where the number of a rating lies in an utterance."""

    number: int
    """The number the alignment chose (it chooses one whatever was said)."""

    start: int
    """First sample of the number word."""

    end: int
    """The sample after its last."""

    framed: bool
    """Whether other words were aligned around it: "about", "it's a", "out of ten"."""


class NumberLocator(Protocol):
    def number_span(self, pcm: np.ndarray) -> NumberSpan | None:
        """Where the number lies in ``pcm`` (mono int16 at the recognizer's rate), if anywhere."""


@dataclass(frozen=True)
class FramedNumberSettings:
    """When the number cut from a framed rating is taken."""

    sure: float = 0.8
    """The number model's confidence in the cut-out word, at least (its ``model_take``)."""

    rating_like: float = 0.5
    """The rating model's probability of "no rating" for the whole answer, at most.

    The alignment finds a number in any speech; the rating model says
    whether the answer sounded like a rating at all. Simulated on the
    synthetic set: of its everyday sentences that came back as nothing
    heard, 43 had a framing aligned and a cut word the number model was
    sure of, and 0.5 let 3 of them through (in the full run, with the
    rating model's agreement, 4 were taken for a rating and 4 asked about);
    it left 14 of the 66 unsettled ratings the cut word named right to the
    other opinions.
    """

    before: float = 0.03
    """Seconds kept before the aligned start of the number: its first sound is often early."""

    after: float = 0.04
    """Seconds kept after its aligned end."""


class FramedNumber:
    """The number model's number for the word a locator finds in a framed rating."""

    def __init__(
        self,
        locator: NumberLocator,
        model: WordModel,
        sample_rate: int,
        settings: FramedNumberSettings | None = None,
    ) -> None:
        self.locator = locator
        self.model = model
        self.sample_rate = sample_rate
        self.settings = settings or FramedNumberSettings()

    def number(self, pcm: np.ndarray, no_rating: float) -> int | None:
        """The number in a framed rating, when the number model is sure of the word cut out.

        ``no_rating`` is the rating model's probability that the answer is
        no rating at all (``FramedNumberSettings.rating_like``).
        """
        if no_rating > self.settings.rating_like:
            return None
        span = self.locator.number_span(pcm)
        if span is None or not span.framed:
            return None
        start = max(0, span.start - int(self.settings.before * self.sample_rate))
        end = min(len(pcm), span.end + int(self.settings.after * self.sample_rate))
        scores = self.model.scores(speech_embedding(pcm[start:end]))
        return scores.index if scores.confidence >= self.settings.sure else None
