"""``AudioListener``: hears answers from a microphone or from replayed WAV files.

One path for every source: chunks are resampled to the recognizer's rate,
the endpointer finds the utterance, and the utterance is streamed into
``recognizer.start(expect)`` while the person is still speaking, so when
the endpoint fires only the final decode remains. ``transcribe`` uses this
same path (``hear_recording``), which is why a file transcribes exactly as
the same answer would be heard in a session.

Time: a live microphone lives in real time. Replayed audio lives on the
session's virtual timeline: the clock is advanced by exactly the audio
consumed, so a replayed session never waits and ``--audio-out`` still
places every sound where it would be.

Half-duplex: live chunks captured while the device speaks (``Floor``) are
dropped. Replayed answers start after the prompt by construction, so the
floor, which runs on wall-clock time, does not apply to them.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from ..clock import VirtualClock
from ..floor import Floor
from ..ports import Clock
from ..recognition.base import Learner, Recognizer, Utterance
from ..vocabulary import Expect, Hearing, Intent
from .endpoint import Endpointer, EndpointSettings, Event, NoiseFloor
from .resample import StreamResampler
from .sources import AudioSource, ReplaySource
from .wavfile import Recording

ANSWER_TIMEOUT = 10.0
"""Seconds a turn waits for speech when the caller gives none (the engine's default)."""


def to_int16(samples: np.ndarray) -> np.ndarray:
    """float32 in [-1, 1] to the int16 PCM recognizers take."""
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype(np.int16)


class AudioListener:
    """Implements ``ports.Listener`` on any ``AudioSource`` and ``Recognizer``."""

    def __init__(
        self,
        source: AudioSource,
        recognizer: Recognizer,
        clock: Clock,
        floor: Floor | None = None,
        settings: EndpointSettings | None = None,
    ) -> None:
        self.source = source
        self.recognizer = recognizer
        self.clock = clock
        self.floor = floor or Floor()
        self.settings = settings or EndpointSettings()
        self.noise = NoiseFloor(self.settings)
        self._virtual = isinstance(clock, VirtualClock)
        self.last_decode_seconds = 0.0
        """Wall time of the last final decode, after the endpoint fired (for benchmarks)."""

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        hearing, _ = self._turn(expect, timeout)
        return hearing

    def wait(self, seconds: float) -> Hearing | None:
        """Let a pause pass; on a microphone, stop early for a command or safety phrase.

        Replayed answers are one per answer turn, so a pause never consumes
        one: the virtual clock just moves on.
        """
        if not self.source.live:
            self.clock.sleep(seconds)
            return None
        remaining = seconds
        while remaining > 0.05:
            hearing, consumed = self._turn(Expect.BETWEEN, remaining)
            if hearing.intent in (Intent.COMMAND, Intent.SAFETY):
                return hearing
            remaining -= consumed
        return None

    def confirmed(self, value: int) -> None:
        """Let a recognizer that learns (``recognition.base.Learner``) keep the confirmed answer."""
        if isinstance(self.recognizer, Learner):
            self.recognizer.learn(value)

    def close(self) -> None:
        self.source.close()

    def _turn(self, expect: Expect, timeout: float) -> tuple[Hearing, float]:
        """Hear one utterance (or time out); returns it and the seconds of audio consumed."""
        rate = self.source.begin_turn()
        consumed = 0.0
        try:
            resampler = StreamResampler(rate, self.recognizer.sample_rate)
            endpointer = Endpointer(self.recognizer.sample_rate, timeout, self.settings, self.noise)
            utterance: Utterance | None = None
            while True:
                chunk = self.source.read()
                seconds = len(chunk.samples) / chunk.rate
                consumed += seconds
                if self._virtual:
                    self.clock.sleep(seconds)
                if chunk.captured_at is not None and not self.floor.is_open(chunk.captured_at):
                    continue
                for event, audio in endpointer.push(resampler.process(chunk.samples)):
                    if event is Event.START:
                        utterance = self.recognizer.start(expect)
                    elif event is Event.AUDIO and utterance is not None and audio is not None:
                        utterance.feed(to_int16(audio))
                    elif event is Event.DISCARD:
                        utterance = None
                    elif event is Event.END and utterance is not None:
                        return self._decode(utterance), consumed
                    elif event is Event.TIMEOUT:
                        return Hearing(), consumed
        finally:
            self.source.end_turn()

    def _decode(self, utterance: Utterance) -> Hearing:
        started = time.perf_counter()
        hearing = utterance.finish()
        self.last_decode_seconds = time.perf_counter() - started
        # The endpointer heard a voice even when the recognizer found no answer in it,
        # which lets the engine say "I didn't catch that" rather than "are you there?".
        return hearing if hearing.speech else replace(hearing, speech=True)


def hear_recording(
    recognizer: Recognizer,
    recording: Recording,
    expect: Expect,
    timeout: float = ANSWER_TIMEOUT,
    settings: EndpointSettings | None = None,
) -> Hearing:
    """Hear a recording exactly as a replayed session would hear it as an answer."""
    listener = AudioListener(ReplaySource([recording]), recognizer, VirtualClock(), None, settings)
    return listener.listen(expect, timeout)
