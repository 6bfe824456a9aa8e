"""A fake sound card for tests: PortAudio's device table, and streams that record given audio.

Only the hardware is faked; the sounddevice module, its error types and
everything above it are real.
"""

from __future__ import annotations

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
