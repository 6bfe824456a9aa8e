"""Where the voice is in an utterance, and how long it lasts.

An utterance from the endpointer carries silence before and after the
voice. Deciding how much of it to keep for a second decode, whether an
answer is one word or a sentence, and what to centre for the speech
embedding all need the same thing: the stretch from the first to the last
10 ms step within ``GATE_DB`` of the loudest one.
"""

from __future__ import annotations

import numpy as np

RATE = 16000
"""The recognizers' rate, which the listener resamples every microphone to."""

HOP = 160
"""One 10 ms step."""

FRAME = 400
"""25 ms of sound around each step, as speech front ends use."""

GATE_DB = 30.0
"""Steps this far below the loudest are not voice."""


def voiced_seconds(samples: np.ndarray) -> float:
    """How long the voiced stretch of an utterance at ``RATE`` lasts.

    Tells one word from a sentence. Each 25 ms frame is pre-emphasised and
    windowed first, so a low hum or a thump counts for less than speech.
    """
    audio = np.asarray(samples, dtype=np.float64)
    if audio.size < FRAME:
        return 0.0
    audio = np.append(audio[0], audio[1:] - 0.97 * audio[:-1])
    count = 1 + (audio.size - FRAME) // HOP
    frames = audio[np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]]
    energy = 10.0 * np.log10(((frames * np.hamming(FRAME)) ** 2).sum(axis=1) + 1e-9)
    voiced = np.flatnonzero(energy > energy.max() - GATE_DB)
    return (voiced[-1] - voiced[0] + 1) * HOP / RATE


def voiced_span(samples: np.ndarray, before: float = 0.2, after: float = 0.25) -> slice:
    """The samples from just before the first to just after the last loud 10 ms.

    Loud is within ``GATE_DB`` of the loudest step. An
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
