"""The listening cue: two soft rising notes that say "your turn", generated, not recorded.

Someone with eyes closed cannot see a light. The cue is short (about a
quarter of a second), quiet (well below speech), and made of pure tones with
slow attack and release, so it reads as a chime rather than an alert.
"""

from __future__ import annotations

import numpy as np

NOTES = ((523.25, 0.0), (659.25, 0.09))
"""(frequency Hz, start s): C5 then E5, a gentle major third upwards."""

NOTE_LENGTH = 0.16
LEVEL = 0.12
"""Peak amplitude; prompts peak at 0.5, so the cue sits about 12 dB under speech."""


def cue_tone(sample_rate: int) -> np.ndarray:
    """The cue as float32 samples at ``sample_rate``."""
    total = max(start for _, start in NOTES) + NOTE_LENGTH
    out = np.zeros(round(total * sample_rate), dtype=np.float64)
    length = round(NOTE_LENGTH * sample_rate)
    t = np.arange(length) / sample_rate
    attack = int(0.02 * sample_rate)
    envelope = np.sin(np.pi * np.arange(length) / length) ** 2
    envelope[:attack] *= np.linspace(0.0, 1.0, attack)
    for frequency, start in NOTES:
        begin = round(start * sample_rate)
        out[begin : begin + length] += np.sin(2 * np.pi * frequency * t) * envelope
    peak = np.max(np.abs(out))
    return (out * (LEVEL / peak)).astype(np.float32)
