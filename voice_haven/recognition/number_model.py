"""Which number an answer sounds like, learned from thousands of synthetic takes.

The number bank (``second_opinion``) names the number whose single nearest
take an answer lies closest to, so one odd take can decide. This model was
trained instead (``scripts/make_number_model.py``) on every number and a few
hundred other short words said by over a hundred synthetic voices, each take
varied in pitch and vocal tract, room, microphone colour, bandwidth (8 kHz
as on a telephone, or wider) and noise, and learned which parts of the
speech embedding (``audio.embedding``) tell the numbers apart whoever says
them, and which belong to no number at all.

It is a softmax regression over the ``STEPS`` embedding steps of a one-word
answer: twelve classes (the numbers 0-10 and "not a number"), about ten
thousand weights, run with numpy in well under a millisecond. None of the
benchmark's voices, human or synthetic, are among the voices it learned from.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..audio.embedding import DIMENSIONS
from .base import RecognizerUnavailable
from .templates import FORMAT as EMBEDDING_FORMAT

MODEL_FILE = "number_model.npz"
"""The trained weights in ``voice_haven/data``."""

STEPS = 9
"""Embedding steps the model sees at once: one word centred in ``audio.embedding.WINDOW``."""

NUMBERS = 11
"""Classes 0-10 are the numbers; class ``NUMBERS`` is "not a number"."""


@dataclass(frozen=True)
class NumberScores:
    """What the model makes of one answer."""

    number: int
    """The most likely number."""

    confidence: float
    """Its probability among the numbers alone (0-1)."""

    not_a_number: float
    """The probability that the answer is no number at all (0-1)."""


def window(embedding: np.ndarray) -> np.ndarray | None:
    """The answer's steps at unit length, flattened; None for more than one word's worth.

    ``audio.embedding`` centres a short answer in its window, which gives
    ``STEPS`` steps: the model learned words placed just so. A longer answer
    ("it's a seven") puts its number elsewhere, where the model never
    learned to look, so it offers no opinion on it.
    """
    steps = np.asarray(embedding, dtype=np.float64)
    if len(steps) != STEPS:
        return None
    steps = steps / np.maximum(np.linalg.norm(steps, axis=1, keepdims=True), 1e-9)
    return steps.ravel()


class NumberModel:
    """The trained softmax regression; ``scores`` takes one answer's embedding."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray) -> None:
        if weights.shape != (STEPS * DIMENSIONS, NUMBERS + 1) or bias.shape != (NUMBERS + 1,):
            raise ValueError(f"weights {weights.shape} and bias {bias.shape} do not fit")
        self.weights = weights.astype(np.float64)
        self.bias = bias.astype(np.float64)

    def probabilities(self, embedding: np.ndarray) -> np.ndarray | None:
        """Class probabilities (``NUMBERS`` + 1) of a one-word answer's embedding (``window``)."""
        features = window(embedding)
        if features is None:
            return None
        logits = features @ self.weights + self.bias
        each = np.exp(logits - logits.max())
        return each / each.sum()

    def scores(self, embedding: np.ndarray) -> NumberScores | None:
        """The most likely number, how sure the model is of it, and whether it is one at all."""
        probabilities = self.probabilities(embedding)
        if probabilities is None:
            return None
        numbers = probabilities[:NUMBERS]
        best = int(numbers.argmax())
        return NumberScores(
            number=best,
            confidence=float(numbers[best] / numbers.sum()),
            not_a_number=float(probabilities[NUMBERS]),
        )

    def save(self, path: Path) -> None:
        """Write the weights with the embedding format they were trained on."""
        np.savez_compressed(
            path, format=np.array(EMBEDDING_FORMAT), weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
        )  # fmt: skip


def read_number_model(path: Path) -> NumberModel:
    """The model saved at ``path``; ``RecognizerUnavailable`` says in one sentence what is wrong."""
    advice = "reinstall voice-haven (ratings are still heard without it)."
    try:
        with np.load(path, allow_pickle=False) as saved:
            if int(saved["format"]) != EMBEDDING_FORMAT:
                raise RecognizerUnavailable(
                    f"The number model at {path} was made for another version of voice-haven; "
                    + advice
                )
            return NumberModel(saved["weights"], saved["bias"])
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise RecognizerUnavailable(
            f"The number model at {path} cannot be read ({exc}); {advice}"
        ) from None


@cache
def load_number_model() -> NumberModel:
    """The model shipped in ``voice_haven/data``, read once."""
    with resources.as_file(resources.files("voice_haven.data").joinpath(MODEL_FILE)) as path:
        return read_number_model(path)
