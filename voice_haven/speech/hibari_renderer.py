"""The natural voice: hibari-tts, a small neural voice that ships inside its wheel.

Only voices whose model file is already on this machine are offered (the
one in the wheel, and any a person copied into hibari's cache): hibari
would otherwise try to download on first use, which a bedside device with
no network cannot do.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from . import phrasing
from .errors import VoiceError

SAMPLE_RATE = 24000

WORDS_PER_MINUTE_AT_SPEED_1 = 182
"""Rate that maps to hibari's speed 1.0, chosen so a rate gives the same pace as the pyttsx3 voice.

Measured over the shipped sessions' sentences, pauses included: espeak-ng
at rate R comes out at about 0.96 R words per minute, and hibari at speed s
at about 176 s (below speed 0.8; it runs a little faster above).
"""

SPEED_RANGE = (0.5, 2.0)
"""What hibari accepts; rates outside it are held at the nearest end."""

NOT_INSTALLED = (
    "The natural voice needs the optional package hibari-tts: "
    "install it with pip install 'voice-haven[natural]', or choose another voice."
)


def installed_voices() -> list[dict[str, Any]]:
    """hibari's registry entries, with a ``name``, for the voices usable offline here."""
    try:
        from hibari.voices import VOICES, voice_path
    except ImportError:
        return []
    usable = []
    for name, entry in VOICES.items():
        try:
            voice_path(name, download_missing=False)
        except (FileNotFoundError, ValueError):
            continue
        usable.append({"name": name, **entry})
    return usable


def speed_for(rate: int) -> float:
    low, high = SPEED_RANGE
    return min(max(rate / WORDS_PER_MINUTE_AT_SPEED_1, low), high)


class HibariRenderer:
    """Renders text with one hibari voice; the model loads once per process and voice."""

    sample_rate = SAMPLE_RATE
    _models: ClassVar[dict[str, Any]] = {}
    _lock = threading.Lock()

    def __init__(self, voice: str) -> None:
        self.voice = voice
        self.tts = self._model(voice)

    @classmethod
    def _model(cls, voice: str) -> Any:
        with cls._lock:
            if voice not in cls._models:
                try:
                    from hibari import Hibari
                    from hibari.voices import voice_path
                except ImportError:
                    raise VoiceError(NOT_INSTALLED) from None
                try:
                    path = voice_path(voice, download_missing=False)
                except (FileNotFoundError, ValueError):
                    raise VoiceError(
                        f"The natural voice '{voice}' is not on this device; "
                        "see 'voice-haven voices' for the ones that are."
                    ) from None
                cls._models[voice] = Hibari(voice=voice, model=str(Path(path)), threads=1)
            return cls._models[voice]

    def render(self, text: str, rate: int) -> np.ndarray:
        """hibari phrases a sentence well itself; only the spoken form and the speed are ours.

        A fixed seed makes the same sentence sound the same every time, which
        is also what lets the cache stand in for a fresh rendering.
        """
        spoken = phrasing.spoken_form(text)
        with self._lock:
            audio = self.tts(spoken, speed=speed_for(rate), seed=0)
        return np.asarray(audio, dtype=np.float32)
