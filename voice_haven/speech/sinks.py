"""Where rendered sound goes: the speaker, a WAV recording of the session, or nowhere.

Every sink takes finished float32 samples at the voice's rate and returns
when, on its own notion of time, they have been heard:

* ``DeviceSink`` plays them and blocks until played (wall-clock time);
* ``FileSink`` lays them on the session's timeline in a WAV file, with
  silence for whatever time passed in between (pauses, listening), and
  moves the virtual clock on by their length;
* ``NullSink`` only moves the virtual clock on (replay without a recording).
"""

from __future__ import annotations

import sys
import time
import wave
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..floor import Floor
from ..ports import Clock, DeviceUnavailable


class Sink(Protocol):
    sample_rate: int

    def play(self, audio: np.ndarray) -> None: ...

    def close(self) -> None: ...


def to_pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


class NullSink:
    """Time passes as if the sound were played; nothing is heard or written."""

    def __init__(self, clock: Clock, sample_rate: int) -> None:
        self.clock = clock
        self.sample_rate = sample_rate

    def play(self, audio: np.ndarray) -> None:
        self.clock.sleep(audio.size / self.sample_rate)

    def close(self) -> None:
        return None


class FileSink:
    """A faithful recording of what the person would hear, written as the session goes.

    Positions come from the clock (``now()`` against the time the sink was
    made), so the pauses the engine sleeps through and the time spent
    listening become silence in the file. Samples go to disk as they come,
    and the WAV header is kept current, so a crash still leaves a playable
    file of everything up to that point.
    """

    def __init__(self, path: Path, clock: Clock, sample_rate: int) -> None:
        self.path = path
        self.clock = clock
        self.sample_rate = sample_rate
        self._start: datetime = clock.now()
        self._written = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._wav: wave.Wave_write | None = wave.open(str(path), "wb")  # noqa: SIM115
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise DeviceUnavailable(f"The file {path} cannot be written ({reason}).") from None
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)

    def _position(self) -> int:
        """The clock's position on the session timeline, in samples."""
        seconds = (self.clock.now() - self._start).total_seconds()
        return round(seconds * self.sample_rate)

    def _pad_to_clock(self) -> None:
        assert self._wav is not None
        gap = self._position() - self._written
        block = self.sample_rate * 10
        while gap > 0:
            count = min(gap, block)
            self._wav.writeframes(bytes(2 * count))
            self._written += count
            gap -= count

    def play(self, audio: np.ndarray) -> None:
        if self._wav is None:
            raise ValueError("the recording is already closed")
        self._pad_to_clock()
        self._wav.writeframes(to_pcm16(audio))
        self._written += audio.size
        self.clock.sleep(audio.size / self.sample_rate)

    def close(self) -> None:
        """Silence up to the session's last moment, then the final header."""
        if self._wav is None:
            return
        self._pad_to_clock()
        self._wav.close()
        self._wav = None


class DeviceSink:
    """The real speaker, through sounddevice; each sound blocks until it has been played.

    The floor is told before playing, so the microphone ignores the device's
    own voice. A speaker that fails in the middle of a session is tried once
    more; after that the session carries on in captions, with time passing
    as if it had spoken, rather than ending a practice the person is in the
    middle of.
    """

    def __init__(self, device: Any, sample_rate: int, floor: Floor) -> None:
        import sounddevice

        self.sd = sounddevice
        self.device = device
        self.floor = floor
        self.sample_rate = sample_rate
        self.play_rate = self._supported_rate(sample_rate)
        self.broken = False

    @classmethod
    def for_device(cls, spec: str | None, sample_rate: int, floor: Floor) -> DeviceSink:
        """The speaker named by ``--output-device`` (name or number), else the default.

        ``resolve_device`` also turns a missing PortAudio library or an
        absent speaker into ``DeviceUnavailable`` with one sentence.
        """
        from ..devices import resolve_device

        return cls(resolve_device(spec, "output"), sample_rate, floor)

    def _supported_rate(self, wanted: int) -> int:
        """The voice's own rate when the device takes it, else the device's default rate."""
        try:
            self.sd.check_output_settings(device=self.device.index, samplerate=wanted, channels=1)
            return wanted
        except Exception:  # PortAudio reports an unsupported rate as various error types
            return int(self.device.sample_rate)

    def play(self, audio: np.ndarray) -> None:
        seconds = audio.size / self.sample_rate
        self.floor.speaking_for(seconds)
        if not self.broken and (self._try_play(audio) or self._try_play(audio)):
            return
        if not self.broken:
            self.broken = True
            print(
                "The speaker stopped working; carrying on with captions only.",
                file=sys.stderr,
                flush=True,
            )
        time.sleep(seconds)

    def _try_play(self, audio: np.ndarray) -> bool:
        from ..audio.resample import resample

        out = resample(audio, self.sample_rate, self.play_rate)
        try:
            self.sd.play(out, samplerate=self.play_rate, device=self.device.index, blocking=True)
        except self.sd.PortAudioError:
            return False
        return True

    def close(self) -> None:
        return None
