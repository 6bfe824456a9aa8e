"""Human clips as the device hears them: a whole replayed session, or one endpointed answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from click.testing import CliRunner, Result

from voice_haven.audio.resample import resample
from voice_haven.audio.span import RATE
from voice_haven.audio.wavfile import read_wav
from voice_haven.cli import main


def replay_session(clips: list[Path], tmp_path: Path) -> tuple[Result, Path]:
    """The quick session with PocketSphinx, hearing ``clips`` in turn; its data folder."""
    answers = tmp_path / "answers"
    answers.mkdir()
    for number, clip in enumerate(clips):
        shutil.copy(clip, answers / f"{number}.wav")
    data = tmp_path / "data"
    result = CliRunner().invoke(
        main,
        ["--session", "quick", "--recognizer", "sphinx", "--data-dir", str(data),
         "--audio-in", str(answers)],
    )  # fmt: skip
    return result, data


def endpointed(path: Path) -> np.ndarray:
    """A clip as a judge gets it from the endpointer: 16 kHz int16, with silence around."""
    recording = read_wav(path)
    voice = resample(recording.samples, recording.rate, RATE)
    padded = np.concatenate([np.zeros(RATE * 3 // 10), voice, np.zeros(RATE * 2 // 10)])
    return (padded * 32767).astype(np.int16)
