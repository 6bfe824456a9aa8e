"""Which answer word or phrase a short answer sounds like, learned from many synthetic takes.

The number bank (``second_opinion``) names the number whose single nearest
take an answer lies closest to, so one odd take can decide. These models
were trained instead (``scripts/make_word_models.py``) on the numbers, "yes",
"no" and "stop", the other command phrases, the framed numbers, and a few
hundred other short words and phrases, said by over a hundred synthetic
voices, each take varied in pitch and vocal tract, room, microphone colour,
bandwidth (8 kHz as on a telephone, or wider) and noise. They learned which
parts of the speech embedding (``audio.embedding``) tell their words apart
whoever says them, and which belong to none of them.

Each is a softmax regression over the ``STEPS`` embedding steps in the
middle of an answer (1.4 s: one word, or a short phrase): one class per word
or phrase and a last one for "none of these", thousands of weights, run
with numpy in well under a millisecond. None of the benchmark's voices,
human or synthetic, are among the voices they learned from. Five are
shipped:

* the number model (``NUMBER_MODEL``): the numbers 0-10, its word index
  being the number (``second_opinion``);
* the rating model (``RATING_MODEL``): every number in every framing the
  vocabulary takes ("seven", "about seven", "seven out of ten"), its
  phrases grouped by number with ``meaning_scores`` (``second_opinion``);
* the stop model (``STOP_MODEL``): "yes", "no" and "stop", so that a "stop"
  the recognizer missed is still asked about (``stop_check``);
* the command model (``COMMAND_MODEL``): every phrase of every command,
  grouped by command, so that a command the recognizer missed or misheard
  is still carried out (``command_check``);
* the call model (``CALL_MODEL``, trained by ``scripts/make_call_model.py``
  on the same voices): the safety phrases, against everyday sentences and
  answers, judged on every stretch of an utterance (``likeliest_stretch``),
  so that a call for help the recognizer missed is still asked about
  (``call_check``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from ..audio.embedding import DIMENSIONS
from .base import RecognizerUnavailable
from .templates import FORMAT as EMBEDDING_FORMAT

NUMBER_MODEL = "number_model.npz"
"""The number model's weights in ``voice_haven/data``."""

STOP_MODEL = "stop_model.npz"
"""The stop model's weights in ``voice_haven/data``."""

COMMAND_MODEL = "command_model.npz"
"""The command model's weights in ``voice_haven/data``."""

RATING_MODEL = "rating_model.npz"
"""The rating model's weights in ``voice_haven/data``."""

CALL_MODEL = "call_model.npz"
"""The call model's weights in ``voice_haven/data`` (``scripts/make_call_model.py``)."""

STEPS = 9
"""Embedding steps a model sees: a word or short phrase centred in ``audio.embedding.WINDOW``."""


@dataclass(frozen=True)
class WordScores:
    """What a model makes of one answer."""

    index: int
    """The most likely of the model's words, as an index into ``WordModel.words``."""

    word: str
    """That word."""

    confidence: float
    """Its probability among the model's words alone (0-1)."""

    none_of_them: float
    """The probability that the answer is none of the model's words (0-1)."""


Meaning = TypeVar("Meaning")


@dataclass(frozen=True)
class MeaningScores(Generic[Meaning]):
    """What a model of phrases makes of an answer, its phrases grouped by what they mean."""

    meaning: Meaning
    """The most likely meaning: all the phrases that say it together."""

    said: str
    """Its most likely phrase."""

    confidence: float
    """The meaning's probability among the model's phrases alone (0-1)."""

    none_of_them: float
    """The probability that the answer is none of the model's phrases (0-1)."""


def window(embedding: np.ndarray) -> np.ndarray:
    """The middle ``STEPS`` steps of an answer at unit length, flattened.

    ``audio.embedding`` centres an answer in its window, so a word is in the
    middle: where the models learned to find it, also when noise or a room's
    echo lengthen it by a few steps. A sentence puts its words elsewhere;
    the caller decides what is one word (``second_opinion``).
    """
    steps = np.asarray(embedding, dtype=np.float64)
    if len(steps) < STEPS:
        steps = np.concatenate([steps, np.repeat(steps[-1:], STEPS - len(steps), axis=0)])
    start = (len(steps) - STEPS) // 2
    steps = steps[start : start + STEPS]
    steps = steps / np.maximum(np.linalg.norm(steps, axis=1, keepdims=True), 1e-9)
    return steps.ravel()


def stretches(embedding: np.ndarray) -> np.ndarray:
    """Every ``STEPS``-step stretch of an utterance, each as ``window`` gives the middle one.

    One row per stretch, a step apart: a phrase said inside a sentence lies
    in one of them, wherever it falls (``call_check``).
    """
    steps = np.asarray(embedding, dtype=np.float64)
    if len(steps) < STEPS:
        return window(steps)[None, :]
    steps = steps / np.maximum(np.linalg.norm(steps, axis=1, keepdims=True), 1e-9)
    starts = range(len(steps) - STEPS + 1)
    return np.stack([steps[start : start + STEPS].ravel() for start in starts])


class WordModel:
    """A trained softmax regression over ``words`` and "none of these"."""

    def __init__(self, words: tuple[str, ...], weights: np.ndarray, bias: np.ndarray) -> None:
        classes = len(words) + 1
        if weights.shape != (STEPS * DIMENSIONS, classes) or bias.shape != (classes,):
            raise ValueError(f"weights {weights.shape} and bias {bias.shape} do not fit {words}")
        self.words = words
        self.weights = weights.astype(np.float64)
        self.bias = bias.astype(np.float64)

    def probabilities(self, embedding: np.ndarray) -> np.ndarray:
        """Class probabilities (the words, then "none") of a one-word answer (``window``)."""
        logits = window(embedding) @ self.weights + self.bias
        each = np.exp(logits - logits.max())
        return each / each.sum()

    def scores(self, embedding: np.ndarray) -> WordScores:
        """The most likely word, how sure the model is of it, and whether it is one at all."""
        return self._scores(self.probabilities(embedding))

    def likeliest_stretch(self, embedding: np.ndarray) -> WordScores:
        """The scores of the stretch of an utterance most like one of the model's words.

        For phrases heard inside longer speech: each stretch (``stretches``)
        is judged as a one-word answer, and the one least likely to be
        "none of these" speaks for the utterance.
        """
        logits = stretches(embedding) @ self.weights + self.bias
        each = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities = each / each.sum(axis=1, keepdims=True)
        return self._scores(probabilities[int(probabilities[:, -1].argmin())])

    def _scores(self, probabilities: np.ndarray) -> WordScores:
        words = probabilities[:-1]
        best = int(words.argmax())
        return WordScores(
            index=best,
            word=self.words[best],
            confidence=float(words[best] / words.sum()),
            none_of_them=float(probabilities[-1]),
        )

    def meaning_scores(
        self, embedding: np.ndarray, meaning_of: Mapping[str, Meaning]
    ) -> MeaningScores[Meaning]:
        """The most likely meaning of an answer, when several of the model's phrases say each.

        "yes" and "yeah", or "seven" and "it's a seven", share what the
        answer means: a model torn between them is still sure of that.
        """
        probabilities = self.probabilities(embedding)
        phrases = probabilities[:-1]
        totals: dict[Meaning, float] = {}
        for phrase, probability in zip(self.words, phrases, strict=True):
            totals[meaning_of[phrase]] = totals.get(meaning_of[phrase], 0.0) + float(probability)
        best = max(totals, key=totals.__getitem__)
        return MeaningScores(
            meaning=best,
            said=self.words[int(phrases.argmax())],
            confidence=totals[best] / float(phrases.sum()),
            none_of_them=float(probabilities[-1]),
        )

    def save(self, path: Path) -> None:
        """Write the weights with their words and the embedding format they were trained on."""
        np.savez_compressed(
            path, format=np.array(EMBEDDING_FORMAT), words=np.array(self.words),
            weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
        )  # fmt: skip


def read_word_model(path: Path) -> WordModel:
    """The model saved at ``path``; ``RecognizerUnavailable`` says in one sentence what is wrong."""
    advice = "reinstall voice-haven (answers are still heard without it)."
    try:
        with np.load(path, allow_pickle=False) as saved:
            if int(saved["format"]) != EMBEDDING_FORMAT:
                raise RecognizerUnavailable(
                    f"The word model at {path} was made for another version of voice-haven; "
                    + advice
                )
            words = tuple(str(w) for w in saved["words"])
            return WordModel(words, saved["weights"], saved["bias"])
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise RecognizerUnavailable(
            f"The word model at {path} cannot be read ({exc}); {advice}"
        ) from None


def optional_word_model(name: str, what: str) -> tuple[WordModel | None, str]:
    """A shipped model, or None and a note for the session's first line saying why not.

    The models only sharpen what the recognizer hears: without one (a
    damaged install) the device still listens, and says so.
    """
    try:
        return load_word_model(name), ""
    except RecognizerUnavailable as exc:
        return None, f", without its {what} ({str(exc).rstrip('.')})"


@cache
def load_word_model(name: str) -> WordModel:
    """A model shipped in ``voice_haven/data`` (``NUMBER_MODEL``, ``STOP_MODEL``), read once."""
    with resources.as_file(resources.files("voice_haven.data").joinpath(name)) as path:
        return read_word_model(path)
