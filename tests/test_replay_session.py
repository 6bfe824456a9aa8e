"""A whole spoken session replayed end to end through the installed console script.

Real human answers go in as WAV files (a spoken "seven", "yes", "four", "yes",
"one", "yes"), the real recognizer hears them, the journal records the
ratings, and everything the person would have heard comes out as one WAV.
"""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import pytest
from conftest import run_cli


@pytest.fixture
def answers(fsdd: Path, gsc: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir()
    yes = sorted(gsc.glob("yes_*.wav"))[0]
    spoken = [fsdd / "7_jackson_0.wav", yes, fsdd / "4_jackson_0.wav", yes]
    spoken += [fsdd / "1_jackson_0.wav", yes]
    for number, clip in enumerate(spoken, 1):
        shutil.copy(clip, folder / f"{number:02d}.wav")
    return folder


def test_a_replayed_session_records_the_spoken_ratings(
    answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VOICE_HAVEN_MODEL", raising=False)  # auto: no Vosk model, PocketSphinx
    data, out = tmp_path / "data", tmp_path / "session.wav"
    result = run_cli(
        "--session", "face", "--audio-in", str(answers), "--audio-out", str(out),
        "--data-dir", str(data), timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Listening with PocketSphinx (US English), replaying the answers in" in result.stderr
    history = run_cli("history", "--json", "--data-dir", str(data))
    session = json.loads(history.stdout)[-1]
    assert session["session"] == "face"
    assert [r["value"] for r in session["ratings"]][:3] == [7, 4, 1]
    with wave.open(str(out)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
    assert seconds >= 20.0


def test_a_replay_folder_with_a_broken_answer_is_named_before_starting(
    answers: Path, tmp_path: Path
) -> None:
    (answers / "03.wav").write_bytes(b"this is not a recording")
    result = run_cli(
        "--session", "face", "--audio-in", str(answers), "--audio-out", str(tmp_path / "o.wav"),
        "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "03.wav is not a WAV file" in result.stderr
