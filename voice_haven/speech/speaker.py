"""The spoken voice of a session: ``ports.Speaker`` over a prompt renderer and a sink."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .cue import cue_tone
from .render import PromptRenderer
from .sinks import Sink

RATE_RANGE = (60, 300)
"""The same bounds as ``--rate``: slower is unintelligible, faster is not calm."""

HEADROOM = 0.98


def _clamp(rate: float) -> int:
    low, high = RATE_RANGE
    return min(max(round(rate), low), high)


def apply_gain(audio: np.ndarray, gain: float) -> np.ndarray:
    """Louder or softer without ever clipping: a sound too loud for the gain is held at the top."""
    out = audio * np.float32(gain)
    peak = float(np.max(np.abs(out))) if out.size else 0.0
    if peak > HEADROOM:
        out *= np.float32(HEADROOM / peak)
    return out


class AudioSpeaker:
    """Speaks each sentence at the chosen rate and loudness, and plays the listening cue.

    ``set_pace`` changes the rate for the rest of the session and calls
    ``remember_rate`` with the new rate, so "slower" is still true tomorrow.
    ``set_session_pace`` is a session's own slowness (bedtime): it scales
    the rate too, but is never remembered as the person's preference.
    """

    def __init__(
        self,
        renderer: PromptRenderer,
        sink: Sink,
        rate: int,
        cue: bool = True,
        remember_rate: Callable[[int], None] | None = None,
    ) -> None:
        self.renderer = renderer
        self.sink = sink
        self.base_rate = rate
        self.pace = 1.0
        self.session_pace = 1.0
        self.gain = 1.0
        self.cue_enabled = cue
        self.remember_rate = remember_rate
        self._cue = cue_tone(sink.sample_rate)

    @property
    def preferred_rate(self) -> int:
        """The person's own rate: the chosen rate scaled by their "slower" and "faster"."""
        return _clamp(self.base_rate * self.pace)

    @property
    def rate(self) -> int:
        """Words per minute now: the person's rate, scaled by the session's own pace."""
        return _clamp(self.base_rate * self.pace * self.session_pace)

    def say(self, text: str) -> None:
        if not text.strip():
            return
        audio = self.renderer.prompt(text, self.rate)
        self.sink.play(apply_gain(audio, self.gain))

    def set_pace(self, factor: float) -> None:
        before = self.preferred_rate
        self.pace = factor
        if self.remember_rate is not None and self.preferred_rate != before:
            self.remember_rate(self.preferred_rate)

    def set_session_pace(self, factor: float) -> None:
        self.session_pace = factor

    def set_gain(self, gain: float) -> None:
        self.gain = max(gain, 0.0)

    def new_session(self, session_pace: float) -> None:
        """Start the next session of a long-running service as a fresh run would start.

        The person's "slower" or "faster" carries over (it is their preference,
        as it would from the saved rate); a sleep session's fade does not.
        """
        self.base_rate = self.preferred_rate
        self.pace = 1.0
        self.gain = 1.0
        self.session_pace = session_pace

    def cue(self) -> None:
        """The soft "your turn" tone; silent when the person turned cues off."""
        if self.cue_enabled:
            self.sink.play(apply_gain(self._cue, self.gain))

    def close(self) -> None:
        self.sink.close()
