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
class EnrollmentSettings:
    """How near the person's takes an answer must come to count as their number."""

    accept_distance: float = 0.045
    """Largest warp distance (``templates.warp_distances``) to the nearest take.

    Measured on fsdd-dev (two takes enrolled, 1,440 answers) and gsc-dev's
    other words and noise heard through each speaker's enrollment: 95% of
    the answers whose nearest take was right lay within 0.042, and 99% of
    the other words and noise beyond 0.045. Everyday sentences and calls
    for help in an enrolled synthetic voice lay beyond 0.057.
    """

    command_distance: float = 0.03
    """Largest distance at which a number outweighs a command the recognizer heard.

    Commands in an enrolled synthetic voice came as near as 0.02 to one of
    its numbers ("yes" to "eight"), so a command needs more than the
    ordinary ``accept_distance`` to give way: 1 in 158 did at 0.03 with
    ``command_margin``; a speaker whose "two" is heard as "go" is at 0.006-0.025.
    """

    command_margin: float = 0.5
    """The number's distance as a share of the next-nearest number's, at most."""

    ambiguous: float = 0.8
    """The nearest number's distance as a share of the runner-up's: from here on, ask.

    Some people say two numbers alike (fsdd-dev's george: "three" and
    "eight"). Measured on fsdd-dev: of 11 such answers among 1,440, 6 were
    nearest to the wrong number; all the other answers were nearest to the
    wrong number only 3 times.
    """

    doubt_distance: float = 0.07
    """Within this distance of another number's take, a rating the recognizer heard is asked about.

    Not near enough to be that number, but nearer than an answer unlike
    the person's numbers usually comes. Measured on fsdd-dev, gsc-dev and
    the enrolled synthetic voices: ratings taken wrong fell from 1.3% to
    0.8% for fsdd-dev's george and from 7.7% to 4.3% for the synthetic
    voices, for 1-4 points more questions; other words taken for a rating
    fell from 8.1% to 6.7%.
    """

    confidence: float = 0.8
    """Confidence of a rating the person's takes name.

    Above ``EngineSettings.confirm_below``: it is recorded without asking.
    """

    def settles(self, nearest: Nearest, command: bool) -> bool:
        """Do the person's takes settle what this answer is (``command``: one was heard)?"""
        if command:
            return (
                nearest.distance <= self.command_distance
                and nearest.distance <= self.command_margin * nearest.runner_up_distance
            )
        return nearest.distance <= self.accept_distance


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
