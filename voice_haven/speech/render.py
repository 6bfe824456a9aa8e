"""From text to finished samples: pick the engine for a voice, shape, and cache."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from . import phrasing
from .cache import PromptCache, cache_key
from .voices import Voice


class Renderer(Protocol):
    sample_rate: int

    def render(self, text: str, rate: int) -> np.ndarray:
        """Raw float32 samples in [-1, 1] for ``text`` spoken at ``rate`` words per minute."""


def open_renderer(voice: Voice) -> Renderer:
    """The engine behind ``voice``; heavy libraries load only here."""
    if voice.engine == "hibari":
        from .hibari_renderer import HibariRenderer

        return HibariRenderer(voice.engine_voice)
    from .pyttsx3_renderer import Pyttsx3Renderer

    return Pyttsx3Renderer(voice.engine_voice, voice.pitch)


class PromptRenderer:
    """Finished prompts for one voice: from the cache when there, else rendered and stored.

    The engine is started on first need, so a session whose sentences are
    all cached (``voice-haven prepare``) never waits for a model to load.
    """

    def __init__(self, voice: Voice, cache: PromptCache | None) -> None:
        self.voice = voice
        self.cache = cache
        self._engine: Renderer | None = None
        self.sample_rate = _sample_rate(voice)

    @property
    def engine(self) -> Renderer:
        if self._engine is None:
            self._engine = open_renderer(self.voice)
        return self._engine

    def prompt(self, text: str, rate: int) -> np.ndarray:
        key = cache_key(text, self.voice.name, rate)
        if self.cache is not None:
            cached = self.cache.get(key, self.sample_rate)
            if cached is not None:
                return cached
        audio = phrasing.finish(self.engine.render(text, rate), self.sample_rate)
        if self.cache is not None:
            self.cache.put(key, audio, self.sample_rate)
        return audio

    def is_cached(self, text: str, rate: int) -> bool:
        if self.cache is None:
            return False
        return self.cache.path_for(cache_key(text, self.voice.name, rate)).exists()


def _sample_rate(voice: Voice) -> int:
    """Known without loading the engine, so cache hits need no engine at all."""
    if voice.engine == "hibari":
        from .hibari_renderer import SAMPLE_RATE as HIBARI_RATE

        return HIBARI_RATE
    from .pyttsx3_renderer import SAMPLE_RATE as ESPEAK_RATE

    return ESPEAK_RATE
