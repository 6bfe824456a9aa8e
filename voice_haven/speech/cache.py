"""Rendered prompts kept on disk, so a Pi never synthesizes the same sentence twice.

One 16-bit mono WAV per (text, voice, rate), named by a hash of the three
plus ``RENDER_VERSION``, which changes whenever the way prompts are shaped
changes, so old renderings are simply never asked for again. Files are
written to a temporary name and renamed, so a power cut leaves either the
old state or the new one; an entry that still cannot be read (a bad disk, a
hand edit) is thrown away and rendered again without a word.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import wave
from pathlib import Path

import numpy as np

RENDER_VERSION = 1


def cache_key(text: str, voice: str, rate: int) -> str:
    spoken = " ".join(text.split())
    blob = json.dumps([RENDER_VERSION, voice, int(rate), spoken], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class PromptCache:
    """Read and write rendered prompts under one folder (``paths.cache_dir(...)/prompts``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def path_for(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def get(self, key: str, sample_rate: int) -> np.ndarray | None:
        """The cached samples, or None when absent or unusable (then it is removed)."""
        path = self.path_for(key)
        try:
            with wave.open(str(path), "rb") as handle:
                shape_ok = (
                    handle.getnchannels() == 1
                    and handle.getsampwidth() == 2
                    and handle.getframerate() == sample_rate
                )
                frames = handle.getnframes()
                data = handle.readframes(frames)
        except (OSError, EOFError, wave.Error):
            shape_ok, frames, data = False, 0, b""
        if not shape_ok or frames == 0 or len(data) != frames * 2:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0

    def put(self, key: str, audio: np.ndarray, sample_rate: int) -> None:
        """Store atomically; a cache that cannot be written only costs speed, never a session."""
        pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2")
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".render-", suffix=".tmp")
            with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as handle:
                handle.setnchannels(1)
                handle.setsampwidth(2)
                handle.setframerate(sample_rate)
                handle.writeframes(pcm.tobytes())
            os.replace(tmp, self.path_for(key))
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
