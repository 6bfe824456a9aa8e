"""Builds the listener of a spoken session (a source and a recognizer), and enroll's ear.

Called by ``runner`` only for audio sessions, so a typed session never
imports numpy, soxr, sounddevice or a recognizer. The microphone is looked
for before the recognizer is loaded: with no microphone the person is
offered typed answers at once instead of after seconds of model loading.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import paths
from .audio.listener import AudioListener
from .audio.sources import AudioSource, MicrophoneSource, ReplaySource
from .audio.wavfile import AudioFileError
from .enrollment import Take
from .floor import Floor
from .options import RunOptions
from .ports import Clock
from .recognition.base import Recognizer, RecognizerUnavailable, Utterance
from .recognition.select import Choice, choose
from .runner import UserError
from .vocabulary import DEFAULT_WAKE, Expect, Hearing


def open_source(options: RunOptions) -> tuple[AudioSource, str]:
    """Where the answers come from, and the end of a sentence saying so.

    Raises ``DeviceUnavailable`` when there is no usable microphone, which the
    service retries and a session offers typed answers for.
    """
    if options.audio_in is not None:
        try:
            source = ReplaySource.from_folder(options.audio_in)
        except AudioFileError as exc:
            raise UserError(str(exc)) from None
        return source, f", replaying the answers in {options.audio_in}"
    if options.replay:
        return ReplaySource([]), ", with no answers to replay"
    microphone = MicrophoneSource.for_device(options.input_device)
    return microphone, f" on the microphone {microphone.name}"


def load_recognizer(options: RunOptions, wake: str = DEFAULT_WAKE) -> Choice:
    """The recognizer for ``options`` (loading a model takes seconds: done once per run)."""
    try:
        return choose(options.recognizer, options.model, paths.data_dir(options.data_dir), wake)
    except RecognizerUnavailable as exc:
        raise UserError(str(exc)) from None


def build_listener(options: RunOptions, clock: Clock, floor: Floor) -> tuple[AudioListener, str]:
    """The listener for ``options`` and one sentence saying how it listens."""
    source, where = open_source(options)
    try:
        choice = load_recognizer(options)
    except BaseException:
        source.close()
        raise
    return AudioListener(source, choice.recognizer, clock, floor), (
        f"Listening with {choice.description}{where}."
    )


class KeepingRecognizer:
    """Passes audio on to a recognizer and keeps the samples of the latest utterance."""

    def __init__(self, inner: Recognizer) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate
        self.kept: list[np.ndarray] = []

    def start(self, expect: Expect) -> Utterance:
        self.kept = []
        return _Kept(self.inner.start(expect), self.kept)

    def samples(self) -> np.ndarray:
        return np.concatenate(self.kept) if self.kept else np.zeros(0, np.int16)


class _Kept:
    def __init__(self, inner: Utterance, kept: list[np.ndarray]) -> None:
        self.inner = inner
        self.kept = kept

    def feed(self, samples: np.ndarray) -> None:
        self.kept.append(np.array(samples, dtype=np.int16))
        self.inner.feed(samples)

    def finish(self) -> Hearing:
        return self.inner.finish()


class ListeningEar:
    """``enrollment.Ear`` on an audio source: a cue, then one utterance and its samples.

    The recognizer listens as at a rating turn, so "stop" and a call for help
    are heard while the person is enrolling.
    """

    def __init__(self, source: AudioSource, recognizer: Recognizer, clock: Clock,
                 floor: Floor, cue: Callable[[], None]) -> None:  # fmt: skip
        self.keeping = KeepingRecognizer(recognizer)
        self.listener = AudioListener(source, self.keeping, clock, floor)
        self.cue = cue

    def take(self, timeout: float) -> Take:
        self.cue()
        self.keeping.kept.clear()
        hearing = self.listener.listen(Expect.RATING, timeout)
        return Take(hearing, self.keeping.samples())

    def close(self) -> None:
        self.listener.close()


def build_ear(options: RunOptions, clock: Clock, floor: Floor,
              cue: Callable[[], None]) -> tuple[ListeningEar, str]:  # fmt: skip
    """The ear ``voice-haven enroll`` listens with, and one sentence saying how.

    It never uses an earlier enrollment: the new takes must be the person's
    own voice, not what the old ones made of it.
    """
    source, where = open_source(options)
    try:
        choice = choose(options.recognizer, options.model, paths.data_dir(options.data_dir),
                        judged=False)  # fmt: skip
    except RecognizerUnavailable as exc:
        source.close()
        raise UserError(str(exc)) from None
    except BaseException:
        source.close()
        raise
    ear = ListeningEar(source, choice.recognizer, clock, floor, cue)
    return ear, f"Listening with {choice.description}{where}."
