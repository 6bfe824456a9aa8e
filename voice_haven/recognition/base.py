"""The interface every recognizer adapter implements.

A recognizer is constrained per answer turn: ``start(expect)`` opens an
utterance whose grammar is ``vocabulary.phrases_for(expect)``. Audio is fed
in small chunks as it arrives; Vosk decodes as it goes, so only its final
result remains when the endpointer fires, while PocketSphinx keeps the
chunks and decodes the whole answer then (its model normalises each
utterance as a whole).

The bedside service's wake phrase is given when a recognizer is built
(``wake=``, default ``vocabulary.DEFAULT_WAKE``), not per turn: the grammar
of a ``WAKE`` turn is then ``phrases_for(Expect.WAKE, wake)`` and its meaning
``interpret(text, Expect.WAKE, confidence, wake)``, so a recognizer that
prepares its grammars once (PocketSphinx) can prepare that one too.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace
from typing import Protocol, runtime_checkable

import numpy as np

from ..vocabulary import Expect, Hearing, Intent


class RecognizerUnavailable(Exception):
    """A recognizer or model cannot be used; ``str()`` is one sentence for the user."""


class Utterance(Protocol):
    def feed(self, samples: np.ndarray) -> None:
        """Add mono int16 samples at the recognizer's ``sample_rate``."""

    def finish(self) -> Hearing:
        """Decode what was fed; an empty Hearing means nothing in the grammar was said."""


class Recognizer(Protocol):
    name: str
    """Short name shown to the person: "vosk" or "sphinx"."""

    sample_rate: int
    """The rate ``feed`` expects; audio is resampled to it at the edge."""

    def start(self, expect: Expect) -> Utterance: ...


@runtime_checkable
class Learner(Protocol):
    """A recognizer that can learn from a rating the person confirmed (``voice_memory``)."""

    def learn(self, number: int) -> None:
        """The last rating answer heard was ``number``."""


def recognize(recognizer: Recognizer, samples: np.ndarray, expect: Expect) -> Hearing:
    """Decode a whole utterance at once, streamed in the same chunks as live audio."""
    utterance = recognizer.start(expect)
    chunk = recognizer.sample_rate // 10
    for start in range(0, len(samples), chunk):
        utterance.feed(samples[start : start + chunk])
    return utterance.finish()


class JudgedUtterance:
    """An utterance whose answer a wrapping recognizer judges from the same audio.

    The wrapper (``second_opinion``, ``enrolled``) sees every answer, with
    the samples it was fed, except "stop" and calls for help: those are
    always what the inner recognizer heard. The wrapper may only make a call
    for help less sure (``call_confidence``), so that it is asked about.
    """

    def __init__(self, inner: Utterance, judge: TurnJudge) -> None:
        self.inner = inner
        self.judge = judge
        self.audio: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        self.audio.append(np.asarray(samples, dtype=np.int16))
        self.inner.feed(samples)

    def finish(self) -> Hearing:
        heard = self.inner.finish()
        if heard.is_command("stop") or not self.audio:
            return heard
        pcm = np.concatenate(self.audio)
        if heard.intent is Intent.SAFETY:
            doubted = min(heard.confidence, self.judge.call_confidence(heard, pcm))
            return replace(heard, confidence=doubted)
        return self.judge.judge(heard, pcm)


class TurnJudge(ABC):
    """A recognizer that wraps another and judges its answers at some kinds of turn.

    Every other kind of turn is the inner recognizer's alone.
    """

    def __init__(self, inner: Recognizer) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate

    def start(self, expect: Expect) -> Utterance:
        utterance = self.inner.start(expect)
        if not self.judges(expect):
            return utterance
        return JudgedUtterance(utterance, self)

    @abstractmethod
    def judges(self, expect: Expect) -> bool:
        """Whether this wrapper judges the answers of turns of kind ``expect``."""

    @abstractmethod
    def judge(self, heard: Hearing, pcm: np.ndarray) -> Hearing:
        """The answer as this wrapper hears it, given the inner recognizer's and the audio."""

    def call_confidence(self, heard: Hearing, pcm: np.ndarray) -> float:
        """How sure a call for help the inner recognizer heard is: by default, as it heard it."""
        return heard.confidence


class RatingJudge(TurnJudge):
    """A recognizer that wraps another and judges its answers at rating turns."""

    def judges(self, expect: Expect) -> bool:
        return expect is Expect.RATING
