"""A fake sound card for tests: PortAudio's device table, and streams that record given audio.

Only the hardware is faked; the sounddevice module, its error types and
everything above it are real.
"""

from __future__ import annotations

import math
import threading
import time
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

USB_MIC = {"name": "USB PnP Sound Device: Audio (hw:2,0)", "inputs": 1, "outputs": 0}
HEADPHONES = {"name": "bcm2835 Headphones: - (hw:0,0)", "inputs": 0, "outputs": 2}
HDMI = {"name": "vc4-hdmi-0: MAI PCM i2s-hifi-0 (hw:1,0)", "inputs": 0, "outputs": 2}
USB_SPEAKER = {"name": "USB Speaker: Audio (hw:3,0)", "inputs": 0, "outputs": 2}


def install(
    monkeypatch: pytest.MonkeyPatch,
    devices: list[dict[str, Any]],
    default: tuple[int, int] = (-1, -1),
    recorded: np.ndarray | None = None,
) -> Any:
    """Make sounddevice report ``devices``; ``sd.rec`` returns ``recorded`` (default: noise)."""
    import sounddevice as sd

    table = [
        {
            "name": d["name"],
            "hostapi": 0,
            "max_input_channels": d["inputs"],
            "max_output_channels": d["outputs"],
            "default_samplerate": d.get("rate", 48000.0),
        }
        for d in devices
    ]

    def query_devices(device: Any = None, kind: Any = None) -> Any:
        return table

    def rec(frames: int, samplerate: float, channels: int, device: Any = None) -> np.ndarray:
        if recorded is not None:
            return recorded[:frames].reshape(-1, 1)
        noise = np.random.default_rng(0).normal(0, 0.01, frames)
        return noise.astype("float32").reshape(-1, channels)

    class OutputStream:
        def __init__(self, **kwargs: Any) -> None:
            self.kwargs = kwargs

        def __enter__(self) -> OutputStream:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def write(self, data: np.ndarray) -> None:
            assert data.ndim == 2

    monkeypatch.setattr(sd, "query_devices", query_devices)
    monkeypatch.setattr(sd, "query_hostapis", lambda: ({"name": "ALSA", "devices": []},))
    monkeypatch.setattr(sd, "default", SimpleNamespace(device=default))
    monkeypatch.setattr(sd, "rec", rec)
    monkeypatch.setattr(sd, "wait", lambda: None)
    monkeypatch.setattr(sd, "OutputStream", OutputStream)
    monkeypatch.setattr(sd, "_terminate", lambda: None)
    monkeypatch.setattr(sd, "_initialize", lambda: None)
    return sd


class _NoPortAudio:
    """Behaves like sounddevice's import when the PortAudio library is absent."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None


def without_portaudio(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import sounddevice`` fail the way it does on a machine without libportaudio2."""
    import sys

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])


def room(seconds: float, rate: int, seed: int = 3) -> np.ndarray:
    """A quiet room as a microphone captures it: faint, steady noise."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(round(seconds * rate)) * 3e-4).astype(np.float32)


class ScriptedMicrophone:
    """A microphone for ``sd.InputStream``: plays given audio from PortAudio's own thread.

    The first stream plays ``first``; if ``first_dies``, it then stops and
    reports itself finished, like a USB microphone pulled out. The next
    ``refusals`` opens fail (``math.inf``: every later open), and streams
    opened after that play ``later``. Past its audio a stream hears a quiet
    room. ``speed`` > 1 delivers faster than real time.
    """

    def __init__(
        self,
        rate: int,
        first: np.ndarray,
        *,
        first_dies: bool = False,
        refusals: float = math.inf,
        later: np.ndarray | None = None,
        speed: float = 20.0,
    ) -> None:
        self.rate = rate
        self.first = first
        self.first_dies = first_dies
        self.refusals = refusals
        self.later = later if later is not None else room(0.5, rate)
        self.speed = speed
        self.attempts = 0
        self.opened: list[dict[str, Any]] = []

    def stream(self, **kwargs: Any) -> Any:
        import sounddevice as sd

        self.attempts += 1
        if 1 < self.attempts <= 1 + self.refusals:
            raise sd.PortAudioError("Device unavailable")
        self.opened.append(kwargs)
        return _Stream(self, kwargs, first=len(self.opened) == 1)


class _Stream:
    def __init__(self, card: ScriptedMicrophone, kwargs: dict[str, Any], first: bool) -> None:
        self.card = card
        self.kwargs = kwargs
        self.first = first
        self.active = False

    def start(self) -> None:
        self.active = True
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        card, block = self.card, self.kwargs["blocksize"]
        audio, position = (card.first if self.first else card.later), 0
        while self.active:
            if position >= len(audio):
                if self.first and card.first_dies:
                    self.active = False
                    self.kwargs["finished_callback"]()
                    return
                audio, position = room(1.0, card.rate), 0
            chunk = audio[position : position + block]
            position += block
            info = SimpleNamespace(currentTime=0.0, inputBufferAdcTime=0.0)
            self.kwargs["callback"](chunk.reshape(-1, 1), len(chunk), info, None)
            time.sleep(len(chunk) / card.rate / card.speed)

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active = False
