"""Numbers the person confirmed, learned in their voice: real clips through real PocketSphinx."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from voice_haven.audio.embedding import DIMENSIONS
from voice_haven.audio.listener import hear_recording
from voice_haven.audio.wavfile import read_wav
from voice_haven.cli import main
from voice_haven.engine import EngineSettings
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer, load_bank
from voice_haven.recognition.select import choose
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.voice_memory import MEMORY_FILE, VoiceMemory
from voice_haven.vocabulary import Expect, Intent

ASKED_BELOW = EngineSettings().confirm_below


@pytest.fixture(scope="module")
def sphinx() -> SphinxRecognizer:
    return SphinxRecognizer()


def learning(sphinx: SphinxRecognizer, data: Path) -> SecondOpinionRecognizer:
    return SecondOpinionRecognizer(sphinx, bank=load_bank(), memory=VoiceMemory(data))


def test_a_confirmed_number_is_heard_at_once_the_next_time(
    sphinx: SphinxRecognizer, fsdd: Path, tmp_path: Path
) -> None:
    """The accented speaker's "four" is heard as "one" and asked about, until he confirms one."""
    recognizer = learning(sphinx, tmp_path)
    later = read_wav(fsdd / "4_george_16.wav")
    assert hear_recording(recognizer, later, Expect.RATING).confidence < ASKED_BELOW
    first = hear_recording(recognizer, read_wav(fsdd / "4_george_11.wav"), Expect.RATING)
    assert first.confidence < ASKED_BELOW
    recognizer.learn(4)
    again = hear_recording(recognizer, later, Expect.RATING)
    assert (again.intent, again.value) == (Intent.RATING, 4)
    assert again.confidence >= ASKED_BELOW
    kept = VoiceMemory(tmp_path)
    assert list(kept.takes) == [4] and len(kept.takes[4]) == 1
    assert ((tmp_path / MEMORY_FILE).stat().st_mode & 0o777) == 0o600


def test_a_confirmed_take_settles_a_number_heard_as_a_command_or_missed(
    sphinx: SphinxRecognizer, fsdd: Path, tmp_path: Path
) -> None:
    """His "two" comes through as "next" or as nothing; once he confirmed one, it is two."""
    recognizer = learning(sphinx, tmp_path)
    before = [hear_recording(recognizer, read_wav(fsdd / f"2_george_{i}.wav"), Expect.RATING)
              for i in (8, 21)]  # fmt: skip
    assert before[0].is_command("next") and before[1].intent is None
    first = hear_recording(recognizer, read_wav(fsdd / "2_george_1.wav"), Expect.RATING)
    assert first.is_command("next") and first.guess == 2
    recognizer.learn(2)
    for i in (8, 21):
        heard = hear_recording(recognizer, read_wav(fsdd / f"2_george_{i}.wav"), Expect.RATING)
        assert (heard.intent, heard.value) == (Intent.RATING, 2)
        assert heard.confidence >= ASKED_BELOW


def test_only_a_rating_answer_is_learned(
    sphinx: SphinxRecognizer, fsdd: Path, gsc: Path, tmp_path: Path
) -> None:
    """Nothing before any rating; the "yes" that confirms one is not what is kept."""
    recognizer = learning(sphinx, tmp_path)
    recognizer.learn(4)
    assert not (tmp_path / MEMORY_FILE).exists()
    rating = hear_recording(recognizer, read_wav(fsdd / "4_george_11.wav"), Expect.RATING)
    yes = hear_recording(recognizer, read_wav(sorted(gsc.glob("yes_*.wav"))[0]), Expect.YES_NO)
    assert rating.value == 4 and yes.is_command("yes")
    recognizer.learn(4)
    recognizer.learn(4)
    assert len(VoiceMemory(tmp_path).takes[4]) == 1


def test_only_the_newest_takes_are_kept(tmp_path: Path) -> None:
    memory = VoiceMemory(tmp_path, keep=2)
    takes = [np.full((9, DIMENSIONS), float(i), dtype=np.float32) for i in range(3)]
    for take in takes:
        memory.remember(7, take)
    for kept in (memory, VoiceMemory(tmp_path, keep=2)):
        assert [float(t[0, 0]) for t in kept.takes[7]] == [1.0, 2.0]


def test_a_take_that_cannot_be_saved_is_still_used(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    memory = VoiceMemory(blocked)
    memory.remember(3, np.ones((9, DIMENSIONS), dtype=np.float32))
    assert list(memory.takes) == [3]
    assert memory.problem is not None and "could not be saved" in memory.problem


def test_a_damaged_memory_is_named_and_replaced(tmp_path: Path) -> None:
    (tmp_path / MEMORY_FILE).write_bytes(b"not numbers")
    memory = VoiceMemory(tmp_path)
    assert memory.takes == {}
    assert memory.problem is not None and "starts afresh" in memory.problem
    assert str(tmp_path / MEMORY_FILE) in memory.problem
    description = choose("sphinx", None, tmp_path, judged=True).description
    assert "starts afresh" in description
    memory.remember(2, np.ones((9, DIMENSIONS), dtype=np.float32))
    assert list(VoiceMemory(tmp_path).takes) == [2]


def test_a_session_learns_the_rating_confirmed_aloud(fsdd: Path, gsc: Path, tmp_path: Path) -> None:
    """A replayed "four", asked about, then "yes": recorded, and kept in the person's voice."""
    answers, data = tmp_path / "answers", tmp_path / "data"
    answers.mkdir()
    shutil.copy(fsdd / "4_george_11.wav", answers / "1.wav")
    shutil.copy(sorted(gsc.glob("yes_*.wav"))[0], answers / "2.wav")
    result = CliRunner().invoke(
        main,
        ["--session", "quick", "--data-dir", str(data), "--recognizer", "sphinx",
         "--audio-in", str(answers), "--rounds", "1"],
    )  # fmt: skip
    assert "I heard four. Is that right?" in result.output
    history = CliRunner().invoke(main, ["history", "--json", "--data-dir", str(data)])
    assert [r["value"] for r in json.loads(history.output)[-1]["ratings"]] == [4]
    assert list(VoiceMemory(data).takes) == [4]
    forget = CliRunner().invoke(main, ["enroll", "--forget", "--data-dir", str(data)])
    assert "learned from the numbers you confirmed is deleted" in forget.output
    assert not (data / MEMORY_FILE).exists()
