"""How much of a sound is voiced: a voice has a pitch, a rustle or a tap does not.

Used to keep a keyword spotter from hearing "stop" in noise: every spoken
word has a vowel, and a vowel repeats itself at the speaker's pitch period
(2.5 to 16 ms, 60 to 400 Hz), while white, pink and household noise do not.
A frame counts as voiced when its normalised autocorrelation, at some lag
in that range, is high.
"""

from __future__ import annotations

import numpy as np

from .span import voiced_seconds

FRAME_SECONDS = 0.03
HOP_SECONDS = 0.01
LOWEST_PITCH_HZ = 60.0
HIGHEST_PITCH_HZ = 400.0
THRESHOLD = 0.6
"""Normalised autocorrelation above which a frame repeats itself: voiced."""


def voiced_frames(samples: np.ndarray, rate: int) -> int:
    """How many 10 ms steps of ``samples`` (int16 PCM, or floats in [-1, 1]) have a pitch."""
    return int(np.count_nonzero(voiced_mask(samples, rate)))


def voiced_mask(samples: np.ndarray, rate: int) -> np.ndarray:
    """Which 10 ms steps of ``samples`` have a pitch (step ``i``: the frame from ``i`` hops on).

    Per step, so that a recognizer's word timings can be laid over it
    (``recognition.unexplained``).
    """
    audio = np.asarray(samples, dtype=np.float64)
    if np.issubdtype(np.asarray(samples).dtype, np.integer):
        audio /= 32768.0
    size = int(FRAME_SECONDS * rate)
    hop = int(HOP_SECONDS * rate)
    if audio.size < size:
        return np.zeros(0, dtype=bool)
    count = 1 + (audio.size - size) // hop
    frames = audio[np.arange(size)[None, :] + hop * np.arange(count)[:, None]]
    frames -= frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(frames, 2 * size, axis=1)
    correlation = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :size]
    squares = frames**2
    energy = squares.sum(axis=1)
    # Energy of the part of the frame that overlaps itself at each lag.
    tail = energy[:, None] - np.concatenate(
        [np.zeros((count, 1)), np.cumsum(squares, axis=1)[:, :-1]], axis=1
    )
    low, high = int(rate / HIGHEST_PITCH_HZ), int(rate / LOWEST_PITCH_HZ)
    lags = slice(low, min(high, size - 1))
    scale = np.sqrt(energy[:, None] * tail[:, lags]) + 1e-12
    peak = (correlation[:, lags] / scale).max(axis=1)
    audible = energy > 2e-9 * size  # above about -87 dB full scale
    return (peak > THRESHOLD) & audible


def one_short_word(samples: np.ndarray, rate: int, longest: float, pitched: int) -> bool:
    """Whether ``samples`` hold at most ``longest`` seconds of voice with ``pitched`` voiced steps.

    The last listens for a word the recognizer missed (``recognition.stop_check``,
    ``recognition.command_check``) ask this first: a sentence is not one word, and
    a rustle or a breath has no pitch.
    """
    if voiced_seconds(samples) > longest:
        return False
    return voiced_frames(samples, rate) >= pitched
