"""Shaping rendered speech so it sounds unhurried: spoken forms, phrase pauses, clean edges.

A distressed listener with eyes closed needs room between ideas. espeak-ng
leaves almost no gap at a comma at ordinary rates, so the pyttsx3 voice is
rendered clause by clause and the pauses are put back here, longer and
scaled with the speech rate. Every voice then gets the same trimmed edges and
level, so a cached prompt sounds the same whichever engine made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

REFERENCE_RATE = 140
"""Words per minute at which the pause lengths below apply; they scale with 1 / rate."""

CLAUSE_PAUSE = 0.3
SENTENCE_PAUSE = 0.75
LEAD_IN = 0.06
TAIL = 0.18
TARGET_PEAK = 0.5
"""Rendered prompts peak at -6 dBFS, leaving headroom for "louder"."""

_DIGIT_RUN = re.compile(r"\d{3,}")
_GROUP_GAP = re.compile(r"(?<=\d) (?=\d)")
_CLAUSE_END = re.compile(r"(?<=[,;:.!?])\s+|(?<=[,;:.!?][\"')\]])\s+")


def spoken_form(text: str) -> str:
    """The words as they should be said, which is not always how they are written.

    Runs of three or more digits are phone numbers here (988, 116 123, 000),
    read digit by digit, with a breath between groups, so a crisis line is
    heard as "one one six, one two three" and not "one hundred sixteen".
    """
    text = " ".join(text.split())
    if not _DIGIT_RUN.search(text):
        return text
    text = _GROUP_GAP.sub(", ", text) if re.search(r"\d{3,} \d", text) else text
    return _DIGIT_RUN.sub(lambda m: " ".join(m.group()), text)


@dataclass(frozen=True)
class Phrase:
    text: str
    pause_after: float
    """Seconds of silence after this phrase at ``REFERENCE_RATE``."""


def phrases(text: str) -> list[Phrase]:
    """Split into clauses that keep their punctuation, so each keeps its intonation.

    A clause rendered with its trailing comma rises as a continuing thought;
    one ending in a full stop falls. Fragments without a letter or digit are
    dropped: there is nothing in them to say.
    """
    found = []
    for part in _CLAUSE_END.split(spoken_form(text)):
        part = part.strip()
        if not re.search(r"[A-Za-z0-9]", part):
            continue
        ends_sentence = part.rstrip("\"')]").endswith((".", "!", "?"))
        found.append(Phrase(part, SENTENCE_PAUSE if ends_sentence else CLAUSE_PAUSE))
    return found


def silence(seconds: float, sample_rate: int) -> np.ndarray:
    return np.zeros(max(round(seconds * sample_rate), 0), dtype=np.float32)


def trim(audio: np.ndarray, sample_rate: int, floor_db: float = -45.0) -> np.ndarray:
    """Cut leading and trailing silence (below ``floor_db`` of the peak), keeping 20 ms."""
    if audio.size == 0:
        return audio.astype(np.float32)
    frame = max(sample_rate // 100, 1)
    count = audio.size // frame
    if count == 0:
        return audio.astype(np.float32)
    frames = audio[: count * frame].reshape(count, frame)
    level = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    peak = level.max()
    if peak <= 0:
        return np.zeros(0, dtype=np.float32)
    loud = np.flatnonzero(level >= peak * 10 ** (floor_db / 20))
    margin = 2
    start = max(int(loud[0]) - margin, 0) * frame
    end = min((int(loud[-1]) + 1 + margin) * frame, audio.size)
    return audio[start:end].astype(np.float32)


def fade_edges(audio: np.ndarray, sample_rate: int, seconds: float = 0.01) -> np.ndarray:
    """Short raised-cosine fades, so a trimmed edge never clicks."""
    n = min(int(sample_rate * seconds), audio.size // 2)
    if n <= 0:
        return audio
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
    out = audio.copy()
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


def pause_scale(rate: int) -> float:
    """Pauses stretch as speech slows: 110 words per minute pauses longer than 180."""
    return REFERENCE_RATE / max(rate, 1)


def finish(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Trimmed, faded, levelled, with the same short lead-in and tail for every prompt."""
    body = fade_edges(trim(audio, sample_rate), sample_rate)
    peak = float(np.max(np.abs(body))) if body.size else 0.0
    if peak > 0:
        body = body * np.float32(TARGET_PEAK / peak)
    return np.concatenate(
        [silence(LEAD_IN, sample_rate), body.astype(np.float32), silence(TAIL, sample_rate)]
    )


def join(parts: list[tuple[np.ndarray, float]], sample_rate: int) -> np.ndarray:
    """Clauses with their pauses between them (the last pause is the caller's business)."""
    pieces: list[np.ndarray] = []
    for index, (audio, pause) in enumerate(parts):
        pieces.append(fade_edges(trim(audio, sample_rate), sample_rate))
        if index < len(parts) - 1:
            pieces.append(silence(pause, sample_rate))
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
