"""The default voice: espeak-ng through pyttsx3, rendered to memory clause by clause.

pyttsx3's espeak driver needs care when it is called hundreds of times in
one process, as a session does:

* espeak queues a rate or pitch change like a sentence, so it reports
  itself busy for a moment after one; ``runAndWait`` cancels espeak when it
  finds it busy, and the cancel throws the queued change away. The clause
  then comes out at an earlier rate (with rates alternating on a busy
  machine: from a few clauses in 180 up to about half of them, depending
  on load; none with the waits below). So each render waits, briefly,
  until espeak is idle both before and after setting its properties, and
  the engine does one throw-away render when it starts, while pyttsx3
  still holds property changes back in its own queue.
* ``runAndWait`` loops until espeak reports the end of the sentence; if
  that report never came it would loop for ever, so a watchdog ends the
  loop at a deadline and the render fails with one sentence.
* the driver prints "Audio saved to ..." on stdout, where the captions go;
  that is kept off it.

Every clause goes to its own fresh file and is read only once complete, so
a late or missing write can never hand back the previous clause's audio.
espeak-ng can be initialised only once per process, so there is one
pyttsx3 engine per process, shared and guarded by a lock.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

from . import phrasing
from .errors import SpeechUnavailable

SAMPLE_RATE = 22050
"""pyttsx3's espeak driver always writes 16-bit mono at this rate."""

_HEADER = 44
"""Bytes before the samples in a WAV written by Python's ``wave`` module."""

_BROKEN = "The speech engine could not be started; install espeak-ng (sudo apt install espeak-ng)."
_FAILED = "The speech engine stopped responding; please start the session again."


class _Engine:
    """The process's one pyttsx3 engine, with a completion signal we can wait on."""

    _instance: _Engine | None = None
    _create_lock = threading.Lock()

    def __init__(self) -> None:
        try:
            import pyttsx3

            self.engine: Any = pyttsx3.init("espeak")
        except Exception as exc:  # pyttsx3 raises bare RuntimeError/OSError/ImportError
            raise SpeechUnavailable(_BROKEN) from exc
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.engine.connect("finished-utterance", self._finished)

    def _finished(self, **_: Any) -> None:
        self.done.set()

    @classmethod
    def get(cls) -> _Engine:
        with cls._create_lock:
            if cls._instance is None:
                engine = _Engine()
                with tempfile.TemporaryDirectory(prefix="voice-haven-") as folder:
                    engine.render_to("ready.", Path(folder) / "warm.wav", "gmw/en-us", 175, 50)
                cls._instance = engine
            return cls._instance

    def voices(self) -> list[Any]:
        return list(self.engine.getProperty("voices"))

    def render_to(self, text: str, path: Path, voice: str, rate: int, pitch: int) -> None:
        """Synthesize ``text`` into the WAV at ``path``; returns once the file is complete."""
        deadline = time.monotonic() + 10.0 + 0.05 * len(text)
        with self.lock, contextlib.redirect_stdout(io.StringIO()):
            self._wait_idle()
            self.done.clear()
            self.engine.setProperty("voice", voice)
            self.engine.setProperty("rate", rate)
            self.engine.setProperty("pitch", pitch)
            self._wait_idle()
            self.engine.save_to_file(text, str(path))
            watchdog = threading.Timer(deadline - time.monotonic(), self._unstick)
            watchdog.start()
            try:
                self.engine.runAndWait()
            finally:
                watchdog.cancel()
            while not _complete(path):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SpeechUnavailable(_FAILED)
                self.done.wait(min(left, 0.5))
                self.done.clear()

    def _unstick(self) -> None:
        """``runAndWait`` loops until espeak reports the end; if that never comes, end the loop."""
        with contextlib.suppress(Exception):
            self.engine.proxy._driver.endLoop()

    def _wait_idle(self, limit: float = 2.0) -> None:
        from pyttsx3.drivers import _espeak

        until = time.monotonic() + limit
        while _espeak.IsPlaying() and time.monotonic() < until:
            time.sleep(0.002)


def _complete(path: Path) -> bool:
    """Complete when the header is readable and every sample it announces is on disk.

    The driver writes the header, with the final length, before the samples.
    """
    try:
        with wave.open(str(path), "rb") as handle:
            return _HEADER + handle.getnframes() * 2 <= path.stat().st_size
    except (OSError, EOFError, wave.Error):
        return False


def _read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as handle:
        data = handle.readframes(handle.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def english_voices() -> list[tuple[str, str, str]]:
    """(espeak identifier, language code, display name) of every English espeak-ng voice."""
    found = []
    for voice in _Engine.get().voices():
        language = (voice.languages or [""])[0]
        if language.startswith("en"):
            found.append((voice.id, language, voice.name))
    return found


class Pyttsx3Renderer:
    """Renders text with one espeak-ng voice (``gmw/en-us+f3`` style identifiers)."""

    sample_rate = SAMPLE_RATE

    def __init__(self, espeak_id: str, pitch: int = 50) -> None:
        self.espeak_id = espeak_id
        self.pitch = pitch
        self.engine = _Engine.get()

    def render(self, text: str, rate: int) -> np.ndarray:
        """Each clause on its own, then joined with pauses that scale with the rate."""
        parts = []
        scale = phrasing.pause_scale(rate)
        with tempfile.TemporaryDirectory(prefix="voice-haven-") as folder:
            for index, phrase in enumerate(phrasing.phrases(text)):
                path = Path(folder) / f"{index}.wav"
                self.engine.render_to(phrase.text, path, self.espeak_id, rate, self.pitch)
                parts.append((_read(path), phrase.pause_after * scale))
        return phrasing.join(parts, self.sample_rate)
