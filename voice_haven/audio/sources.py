"""Where the listener's audio comes from: a live microphone, or WAV answers replayed.

Both give the listener the same thing, chunks of float32 mono audio, so
resampling, endpointing and recognition are the same code live and in
replay. The differences stay here:

* ``MicrophoneSource`` captures at the device's own rate (resampling on the
  Pi's CPU is cheaper and better than asking ALSA to do it), stamps every
  chunk with its capture time (for half-duplex), keeps a bounded backlog,
  and turns a vanished microphone into ``ports.MicrophoneLost`` after one retry.
* ``ReplaySource`` plays one WAV file per answer turn, in file-name order,
  with silence before and after so the endpointer meets a recording
  as it would meet a person; when the files run out the person is silent.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..ports import DeviceUnavailable, MicrophoneLost
from .wavfile import AudioFileError, Recording, read_wav

log = logging.getLogger(__name__)

BLOCK = 0.02
"""Seconds per captured chunk: small enough for a prompt endpoint, large enough for a Pi."""


@dataclass(frozen=True)
class Chunk:
    samples: np.ndarray
    """float32 mono at ``rate``."""
    rate: int
    captured_at: float | None = None
    """``time.monotonic()`` of the first sample for live audio; None for replayed audio."""


class AudioSource(Protocol):
    live: bool
    """True for a microphone: time passes by itself and the floor applies."""

    def begin_turn(self) -> int:
        """Get ready for one answer turn; returns the sample rate of its chunks."""

    def read(self) -> Chunk:
        """The next chunk; a microphone blocks until one is captured."""

    def end_turn(self) -> None:
        """The turn is over; replay drops whatever is left of its file."""

    def close(self) -> None: ...


class ReplaySource:
    """WAV answers, one per answer turn, padded with silence."""

    live = False

    def __init__(
        self,
        recordings: Sequence[Recording],
        *,
        lead: float = 0.5,
        tail: float = 1.0,
        chunk: float = 0.02,
        room_db: float | None = None,
        idle_rate: int = 16000,
    ) -> None:
        self._pending = list(recordings)
        self.lead = lead
        self.tail = tail
        self.chunk = chunk
        self.idle_rate = idle_rate
        # Digital silence by default. Quiet room noise (``room_db``, dBFS) looks
        # more like a microphone, but measured on real answers it made
        # PocketSphinx worse (its noise removal and mean normalisation are
        # tuned to the silence padding its own tools add), so it is an option
        # for experiments, not the default.
        self._room = 0.0 if room_db is None else 10.0 ** (room_db / 20.0)
        self._noise = np.random.default_rng(20240601)
        self._buffer = np.zeros(0, dtype=np.float32)
        self._position = 0
        self._rate = idle_rate

    @classmethod
    def from_folder(cls, folder: Path) -> ReplaySource:
        """Every ``*.wav`` in ``folder`` by file name; all are read now, so a bad one
        is reported before the session starts rather than in the middle of it."""
        files = sorted(
            (p for p in Path(folder).iterdir() if p.suffix.lower() == ".wav"),
            key=lambda p: p.name,
        )
        if not files:
            raise AudioFileError(f"{folder} holds no .wav files to replay.")
        return cls([read_wav(p) for p in files])

    @property
    def remaining(self) -> int:
        """Answer files not yet replayed."""
        return len(self._pending)

    def begin_turn(self) -> int:
        if self._pending:
            recording = self._pending.pop(0)
            self._rate = recording.rate
            self._buffer = np.concatenate(
                [self._quiet(self.lead), recording.samples, self._quiet(self.tail)]
            )
        else:
            self._rate = self.idle_rate
            self._buffer = np.zeros(0, dtype=np.float32)
        self._position = 0
        return self._rate

    def read(self) -> Chunk:
        size = max(1, round(self._rate * self.chunk))
        if self._position < len(self._buffer):
            samples = self._buffer[self._position : self._position + size]
            self._position += len(samples)
            return Chunk(samples, self._rate)
        return Chunk(self._quiet(size / self._rate), self._rate)

    def end_turn(self) -> None:
        self._buffer = np.zeros(0, dtype=np.float32)
        self._position = 0

    def close(self) -> None:
        self._pending.clear()

    def _quiet(self, seconds: float) -> np.ndarray:
        count = round(seconds * self._rate)
        if not self._room:
            return np.zeros(count, dtype=np.float32)
        return (self._noise.standard_normal(count) * self._room).astype(np.float32)


class InputStream(Protocol):
    """The part of ``sounddevice.InputStream`` a microphone source uses."""

    active: bool

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


StreamOpener = Callable[[Callable[..., None], Callable[[], None], int], InputStream]
"""``opener(on_audio, on_finished, attempt)``: a started-or-startable stream at our rate."""


class MicrophoneSource:
    """Live capture from one input device, in small chunks stamped with their time."""

    live = True

    def __init__(
        self,
        rate: int,
        opener: StreamOpener,
        name: str = "microphone",
        *,
        backlog: float = 30.0,
        stall: float = 2.0,
        stale: float = 2.0,
    ) -> None:
        self.rate = rate
        self.name = name
        self.stall = stall
        self.stale = stale
        self._opener = opener
        # ``None`` in the queue wakes the reader at once when the stream dies.
        self._chunks: queue.Queue[Chunk | None] = queue.Queue(
            maxsize=max(1, round(backlog / BLOCK))
        )
        self._not_before = 0.0
        self._stream: InputStream | None = None
        self._attempt = 0
        self._open()

    @classmethod
    def for_device(cls, spec: str | int | None) -> MicrophoneSource:
        """The microphone named or numbered by ``spec`` (default: the system's)."""
        from ..devices import rescan, resolve_device

        device = resolve_device(spec, "input")
        rate = int(device.sample_rate)

        def opener(on_audio: Callable[..., None], on_finished: Callable[[], None], attempt: int):
            import sounddevice as sd

            target = device.index
            if attempt:
                # A USB microphone that came back has a new number: look it up again.
                rescan()
                target = resolve_device(device.name, "input").index
            return sd.InputStream(
                device=target,
                samplerate=rate,
                channels=1,
                dtype="float32",
                blocksize=round(rate * BLOCK),
                callback=on_audio,
                finished_callback=on_finished,
            )

        try:
            return cls(rate, opener, device.name)
        except Exception as exc:  # PortAudio refuses the device: busy, unplugged, bad rate
            raise DeviceUnavailable(
                f"The microphone {device.name} could not be opened ({exc}); "
                "check it is plugged in and not used by another program."
            ) from None

    def begin_turn(self) -> int:
        """Audio older than ``stale`` seconds belongs to an earlier moment: skip it."""
        self._not_before = time.monotonic() - self.stale
        return self.rate

    def read(self) -> Chunk:
        while True:
            try:
                chunk = self._chunks.get(timeout=self.stall)
            except queue.Empty:
                chunk = None
            if chunk is None:
                return self._recover()
            if chunk.captured_at is None or chunk.captured_at >= self._not_before:
                return chunk

    def end_turn(self) -> None:
        """Live audio keeps flowing between turns; nothing to drop."""

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception as exc:  # the device may already be gone; closing must not fail
                log.debug("closing the microphone stream: %s", exc)

    # --- capture thread -----------------------------------------------------

    def _on_audio(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's callback: copy, stamp and queue; never block or raise here."""
        now = time.monotonic()
        delay = frames / self.rate
        current = getattr(time_info, "currentTime", 0.0)
        adc = getattr(time_info, "inputBufferAdcTime", 0.0)
        if current and adc and 0.0 <= current - adc < 1.0:
            delay = current - adc
        self._offer(Chunk(np.array(indata[:, 0], dtype=np.float32), self.rate, now - delay))

    def _on_finished(self) -> None:
        """PortAudio's notice that the stream stopped (device gone, error, or our close)."""
        if self._stream is not None:
            self._offer(None)

    def _offer(self, chunk: Chunk | None) -> None:
        """Queue a chunk; when the backlog is full the oldest audio goes first."""
        while True:
            try:
                self._chunks.put_nowait(chunk)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._chunks.get_nowait()

    # --- losing and regaining the device ------------------------------------

    def _open(self) -> None:
        stream = self._opener(self._on_audio, self._on_finished, self._attempt)
        self._attempt += 1
        stream.start()
        self._stream = stream

    def _recover(self) -> Chunk:
        """One retry: reopen the device and wait for sound; else the person's input is closed."""
        log.warning("The microphone %s stopped sending sound; opening it again.", self.name)
        self.close()
        try:
            self._open()
            chunk = self._chunks.get(timeout=self.stall)
            if chunk is None:
                raise OSError("it stopped again at once")
            return chunk
        except Exception as exc:
            self.close()
            log.error(
                "The microphone %s stopped working and could not be opened again (%s).",
                self.name,
                str(exc) or "no sound arrived",
            )
            raise MicrophoneLost(f"The microphone {self.name} stopped working.") from None
