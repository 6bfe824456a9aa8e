"""The person's own way of saying each number, and how near a new answer comes to it.

``voice-haven enroll`` keeps, for every number, the speech embedding
(``audio.embedding``) of a take or two of the person saying it. A new answer
is compared with each take by dynamic time warping, which lines up two
utterances of different lengths before comparing them step by step.

Only features are stored, never audio: they are enough to compare words
and cannot be played back as the person's voice.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.embedding import DIMENSIONS

FILE_NAME = "voice.npz"
"""Where the takes live in the data directory."""

FORMAT = 2
"""Bumped whenever the features change, so old takes are never compared with new.

Format 1 held cepstra; format 2 holds speech embeddings.
"""


class TemplateError(Exception):
    """The saved takes cannot be used; ``str()`` is one sentence for the person."""


class OutdatedTemplates(TemplateError):
    """The saved takes hold features another version of voice-haven made.

    Not damage: an update changed how voices are compared, and the person
    only needs to enroll again; sessions go on meanwhile without it.
    """


def _unit(features: np.ndarray) -> np.ndarray:
    return features / np.maximum(np.linalg.norm(features, axis=1, keepdims=True), 1e-9)


def warp_distances(query: np.ndarray, takes: list[np.ndarray]) -> np.ndarray:
    """Mean cosine distance along the best time alignment of ``query`` with each take.

    Symmetric DTW with horizontal, vertical and diagonal steps, normalised
    by the combined length so that long and short words compare fairly.
    Cosine distance compares the direction of two steps, not their size.
    All takes are aligned at once, one query step at a time (takes padded
    to one length): within a row, a run of horizontal steps is a cumulative
    sum, so the best place to enter the row is a running minimum. That
    keeps a whole comparison to a few dozen numpy operations.
    """
    lengths = np.array([len(t) for t in takes])
    if len(query) == 0 or not takes:
        return np.full(len(takes), np.inf)
    width = int(lengths.max())
    padded = np.zeros((len(takes), width, query.shape[1]))
    for i, take in enumerate(takes):
        padded[i, : len(take)] = _unit(take) if len(take) else 0.0
    cost = 1.0 - np.einsum("qd,twd->qtw", _unit(query), padded)
    cost[:, np.arange(width)[None, :] >= lengths[:, None]] = np.inf
    previous = np.full((len(takes), width + 1), np.inf)
    previous[:, 0] = 0.0
    # Padding is infinite cost; inf - inf there gives NaN, which only ever
    # spreads rightwards, further into the padding.
    with np.errstate(invalid="ignore"):
        for row in cost:
            entering = row + np.minimum(previous[:, 1:], previous[:, :-1])
            running = np.cumsum(row, axis=1)
            previous[:, 1:] = running + np.minimum.accumulate(entering - running, axis=1)
            previous[:, 0] = np.inf
    return previous[np.arange(len(takes)), lengths] / (len(query) + lengths)


@dataclass(frozen=True)
class Nearest:
    """The enrolled number an answer comes nearest to."""

    number: int
    distance: float
    """Warp distance to that number's nearest take (``warp_distances``)."""

    runner_up: int | None
    """The next-nearest number (None if only one was enrolled)."""

    runner_up_distance: float
    """Distance to the runner-up's nearest take (infinite if none)."""


@dataclass(frozen=True)
class VoiceTemplates:
    """Feature sequences of the person's takes, by number."""

    takes: dict[int, tuple[np.ndarray, ...]]

    def distances(self, features: np.ndarray) -> dict[int, float]:
        """For each enrolled number, the distance to its nearest take."""
        numbers = [n for n, ts in self.takes.items() for _ in ts]
        every = warp_distances(features, [t for ts in self.takes.values() for t in ts])
        nearest: dict[int, float] = {}
        for number, distance in zip(numbers, every.tolist(), strict=True):
            nearest[number] = min(distance, nearest.get(number, np.inf))
        return nearest

    def nearest(self, features: np.ndarray) -> Nearest:
        """The enrolled number nearest to an answer, and how clearly it is the nearest."""
        distances = self.distances(features)
        ranked = sorted(distances, key=distances.__getitem__)
        if len(ranked) == 1:
            return Nearest(ranked[0], distances[ranked[0]], None, np.inf)
        return Nearest(ranked[0], distances[ranked[0]], ranked[1], distances[ranked[1]])

    def save(self, data_dir: Path, name: str = FILE_NAME) -> Path:
        """Write atomically, readable only by the person (it describes their voice)."""
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        arrays = {
            f"n{number}_{i}": take
            for number, takes in self.takes.items()
            for i, take in enumerate(takes)
        }
        path = data_dir / name
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".voice-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez_compressed(out, format=np.array(FORMAT), **arrays)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path


def load_templates(data_dir: Path) -> VoiceTemplates | None:
    """The saved takes, or None when the person has not enrolled."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return None
    advice = "run `voice-haven enroll` again, or `voice-haven enroll --forget` to do without."
    return read_takes(path, "Your voice enrollment", advice)


def read_takes(path: Path, what: str, advice: str) -> VoiceTemplates:
    """Takes saved by ``VoiceTemplates.save``; errors say ``what`` is wrong and the ``advice``."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"{what} at {path} cannot be read ({exc}); {advice}") from None
    if arrays.pop("format", None) != FORMAT:
        raise OutdatedTemplates(
            f"{what} at {path} was made by another version of voice-haven; {advice}"
        )
    takes: dict[int, list[np.ndarray]] = {}
    for name, array in sorted(arrays.items()):
        number = name[1:].split("_", 1)[0]
        if not number.isdigit() or array.ndim != 2 or array.shape[1] != DIMENSIONS:
            raise TemplateError(f"{what} at {path} is damaged; {advice}")
        takes.setdefault(int(number), []).append(array.astype(np.float64))
    if not takes:
        raise TemplateError(f"{what} at {path} holds no takes; {advice}")
    return VoiceTemplates({n: tuple(ts) for n, ts in sorted(takes.items())})
