"""Cepstral features of one spoken word, for comparing it with the person's own takes.

The choices serve one goal: two takes of the same number by the same
person should look alike whatever the microphone and the room.

* Mel bands only from 200 to 3800 Hz: a 8 kHz microphone and a 16 kHz one
  then give the same features, and mains hum below 200 Hz is ignored.
* The loudest frame sets a gate 30 dB below it; frames outside the voiced
  stretch are cut, so leading and trailing silence do not count.
* Cepstral mean normalisation removes the colour of the microphone and
  the room, which is constant over a word.
* Deltas add how the spectrum moves, which is what tells "five" from "nine"
  as much as the vowels do.
"""

from __future__ import annotations

from functools import cache

import numpy as np

RATE = 16000
"""Features are taken at the recognizers' rate; the listener resamples to it."""

FRAME = 400
HOP = 160
FFT = 512
BANDS = 24
COEFFICIENTS = 12
LOW_HZ = 200.0
HIGH_HZ = 3800.0
GATE_DB = 30.0
DIMENSIONS = 2 * COEFFICIENTS
"""Cepstra and their deltas, per 10 ms frame."""


def _mel(hz: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)


def _hz(mel: np.ndarray) -> np.ndarray:
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


@cache
def _filterbank() -> np.ndarray:
    """Triangular mel filters over the FFT bins (bands x bins)."""
    edges = _hz(np.linspace(_mel(LOW_HZ), _mel(HIGH_HZ), BANDS + 2))
    bins = np.fft.rfftfreq(FFT, 1.0 / RATE)
    rising = (bins[None, :] - edges[:-2, None]) / (edges[1:-1] - edges[:-2])[:, None]
    falling = (edges[2:, None] - bins[None, :]) / (edges[2:] - edges[1:-1])[:, None]
    return np.clip(np.minimum(rising, falling), 0.0, None)


@cache
def _dct() -> np.ndarray:
    """DCT-II rows 1..COEFFICIENTS (row 0, overall loudness, is left out)."""
    k = np.arange(1, COEFFICIENTS + 1)[:, None]
    n = np.arange(BANDS)[None, :]
    return np.cos(np.pi / BANDS * (n + 0.5) * k)


def _voiced_power(samples: np.ndarray) -> np.ndarray:
    """Power spectra of the 10 ms steps from the first to the last loud one (empty if too short)."""
    audio = np.asarray(samples, dtype=np.float64)
    if audio.size < FRAME:
        return np.zeros((0, FFT // 2 + 1))
    audio = np.append(audio[0], audio[1:] - 0.97 * audio[:-1])
    count = 1 + (audio.size - FRAME) // HOP
    frames = audio[np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]]
    power = np.abs(np.fft.rfft(frames * np.hamming(FRAME), FFT)) ** 2
    energy = 10.0 * np.log10(power.sum(axis=1) + 1e-9)
    voiced = np.flatnonzero(energy > energy.max() - GATE_DB)
    return power[voiced[0] : voiced[-1] + 1]


def voiced_seconds(samples: np.ndarray) -> float:
    """How long the voiced stretch of an utterance at ``RATE`` lasts: the span ``cepstra`` keeps.

    Tells one word from a sentence without computing the features.
    """
    return len(_voiced_power(samples)) * HOP / RATE


def cepstra(samples: np.ndarray) -> np.ndarray:
    """Features (frames x ``DIMENSIONS``) of a mono utterance at ``RATE``.

    Takes int16 or float samples; too little audio gives zero frames.
    """
    power = _voiced_power(samples)
    if len(power) == 0:
        return np.zeros((0, DIMENSIONS))
    bands = np.log(power @ _filterbank().T + 1e-9)
    cepstrum = bands @ _dct().T
    cepstrum -= cepstrum.mean(axis=0)
    deltas = np.gradient(cepstrum, axis=0) if len(cepstrum) > 1 else np.zeros_like(cepstrum)
    return np.hstack([cepstrum, deltas])


def voiced_span(samples: np.ndarray, before: float = 0.2, after: float = 0.25) -> slice:
    """The samples from just before the first to just after the last loud 10 ms.

    Loud is within ``GATE_DB`` of the loudest step, as for the features. An
    utterance from the endpointer carries 0.3 s before the voice and up to
    0.6 s of silence after it; a second decode of the same answer needs only
    a little of either, and is that much quicker.
    """
    audio = np.asarray(samples, dtype=np.float64)
    steps = audio.size // HOP
    if steps == 0:
        return slice(0, audio.size)
    level = 10.0 * np.log10((audio[: steps * HOP].reshape(steps, HOP) ** 2).sum(axis=1) + 1e-9)
    loud = np.flatnonzero(level > level.max() - GATE_DB)
    start = max(0, loud[0] * HOP - int(before * RATE))
    end = min(audio.size, (loud[-1] + 1) * HOP + int(after * RATE))
    return slice(start, end)
