"""Endpointing: deciding when a person starts and stops speaking.

Energy against an adaptive noise floor, with hysteresis. It is simple on
purpose: it runs on every 10 ms of audio on a small Pi, it behaves the same
on every recognizer, and its few settings are easy to reason about:

* the noise floor is the quietest 100 ms of the last 5 s ("minimum
  statistics"): it falls as soon as the room gets quieter, and rises to a
  fan or a heater that starts within 5 s, while the short gaps between
  words keep it from rising to the level of speech;
* speech starts when enough of the last 100 ms is well above the floor
  (a click or a knock is too short), and the 300 ms before the onset is
  kept, so soft first sounds ("f" of "four", "s" of "six") reach the
  recognizer;
* it ends after about 0.6 s below a lower threshold (hysteresis keeps the
  quiet ends of words), or after 8 s in any case, so a running tap or a
  television never holds the turn forever;
* a burst with too little voiced sound is dropped and listening goes on;
* when nobody speaks for ``timeout`` seconds the turn times out.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import Enum

import numpy as np


class Event(Enum):
    START = "start"
    """Speech began; the samples include the pre-roll before the onset."""
    AUDIO = "audio"
    """More audio of the utterance."""
    END = "end"
    """The utterance is over: decode it now."""
    DISCARD = "discard"
    """What started was too short to be a word: forget it and keep listening."""
    TIMEOUT = "timeout"
    """Nobody spoke within the timeout."""


@dataclass(frozen=True)
class EndpointSettings:
    frame: float = 0.01
    """Seconds per analysis frame."""
    start_margin_db: float = 10.0
    """How far above the noise floor a frame must be to count towards an onset."""
    end_margin_db: float = 6.0
    """Frames below floor + this count as silence while someone is speaking."""
    quietest_speech_db: float = -58.0
    """Frames quieter than this (dBFS) are never speech, however quiet the room."""
    onset_window: float = 0.1
    """Seconds looked at when deciding whether speech has started."""
    onset_voiced: float = 0.05
    """Loud seconds needed within the onset window."""
    end_silence: float = 0.6
    """Seconds of silence that end an utterance."""
    max_utterance: float = 8.0
    """Longest utterance; longer sound is cut here and decoded."""
    preroll: float = 0.3
    """Seconds kept from before the onset."""
    min_speech: float = 0.12
    """Voiced seconds an utterance needs to be decoded at all."""
    noise_window: float = 5.0
    """Seconds over which the quietest moment is taken as the noise floor."""
    noise_block: float = 0.1
    """Seconds averaged into one level before taking the minimum."""


class NoiseFloor:
    """The level of the room (dBFS); shared across turns so it is known from the start."""

    def __init__(self, settings: EndpointSettings | None = None) -> None:
        s = settings or EndpointSettings()
        self._per_block = max(1, round(s.noise_block / s.frame))
        self._blocks: deque[float] = deque(maxlen=max(1, round(s.noise_window / s.noise_block)))
        self._power = 0.0
        self._frames = 0

    @property
    def level(self) -> float:
        """The floor in dBFS (-100 before any audio)."""
        current = [_db(self._power / self._frames)] if self._frames else []
        return min([*self._blocks, *current], default=-100.0)

    def update(self, level: float) -> None:
        """Add one frame's level."""
        self._power += 10.0 ** (level / 10.0)
        self._frames += 1
        if self._frames >= self._per_block:
            self._blocks.append(_db(self._power / self._frames))
            self._power = 0.0
            self._frames = 0


def _db(power: float) -> float:
    return 10.0 * math.log10(max(power, 1e-10))


def frame_level(frame: np.ndarray) -> float:
    """Mean power of a frame in dBFS, never below -100."""
    return _db(float(np.mean(np.square(frame, dtype=np.float64))) if len(frame) else 0.0)


class Endpointer:
    """Feed audio with ``push``; it answers with the events of one answer turn."""

    def __init__(
        self,
        rate: int,
        timeout: float,
        settings: EndpointSettings | None = None,
        floor: NoiseFloor | None = None,
    ) -> None:
        self.rate = rate
        self.timeout = timeout
        self.settings = settings or EndpointSettings()
        self.floor = floor or NoiseFloor(self.settings)
        s = self.settings
        self._frame_len = max(1, round(rate * s.frame))
        self._pending = np.zeros(0, dtype=np.float32)
        self._preroll: deque[np.ndarray] = deque(maxlen=max(1, round(s.preroll / s.frame)))
        self._onset: deque[bool] = deque(maxlen=max(1, round(s.onset_window / s.frame)))
        self._onset_needed = max(1, round(s.onset_voiced / s.frame))
        self._waited = 0.0
        self._speaking = False
        self._length = 0.0
        self._voiced = 0.0
        self._silent = 0.0
        self.done = False

    def push(self, samples: np.ndarray) -> list[tuple[Event, np.ndarray | None]]:
        """Analyse more audio; returns what happened, in order.

        Utterance audio comes as ``AUDIO`` events after ``START`` (the first
        one carries the pre-roll); other events carry no samples.
        """
        events: list[tuple[Event, np.ndarray | None]] = []
        if self.done:
            return events
        audio = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        whole = len(audio) // self._frame_len * self._frame_len
        self._pending = audio[whole:]
        run: list[np.ndarray] = []
        for start in range(0, whole, self._frame_len):
            frame = audio[start : start + self._frame_len]
            was_speaking = self._speaking
            event = self._frame(frame)
            if event is Event.START:
                events.append((Event.START, None))
                run = list(self._preroll)
                continue
            if was_speaking:
                run.append(frame)
            if event is None:
                continue
            if run:
                events.append((Event.AUDIO, np.concatenate(run)))
                run = []
            events.append((event, None))
            if self.done:
                return events
        if run:
            events.append((Event.AUDIO, np.concatenate(run)))
        return events

    def _frame(self, frame: np.ndarray) -> Event | None:
        s = self.settings
        level = frame_level(frame)
        self.floor.update(level)
        floor = self.floor.level
        if not self._speaking:
            return self._waiting(frame, level, floor)
        self._length += s.frame
        if level > max(floor + s.end_margin_db, s.quietest_speech_db - s.end_margin_db):
            self._voiced += s.frame
            self._silent = 0.0
        else:
            self._silent += s.frame
        if self._length >= s.max_utterance - 1e-9:
            return self._finish(Event.END)
        if self._silent >= s.end_silence - 1e-9:
            if self._voiced >= s.min_speech - 1e-9:
                return self._finish(Event.END)
            self._speaking = False
            self._onset.clear()
            self._preroll.clear()
            return Event.DISCARD
        return None

    def _waiting(self, frame: np.ndarray, level: float, floor: float) -> Event | None:
        s = self.settings
        loud = level > max(floor + s.start_margin_db, s.quietest_speech_db)
        self._onset.append(loud)
        self._preroll.append(frame)
        self._waited += s.frame
        if sum(self._onset) >= self._onset_needed:
            self._speaking = True
            self._length = len(self._preroll) * s.frame
            self._voiced = sum(self._onset) * s.frame
            self._silent = 0.0
            return Event.START
        if self._waited >= self.timeout - 1e-9:
            return self._finish(Event.TIMEOUT)
        return None

    def _finish(self, event: Event) -> Event:
        self._speaking = False
        self.done = True
        return event
