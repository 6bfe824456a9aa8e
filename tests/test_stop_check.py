"""The last listen for a missed "stop", with real human clips through real PocketSphinx."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from replay_helpers import endpointed, replay_session

from voice_haven.audio.listener import hear_recording
from voice_haven.audio.span import RATE
from voice_haven.audio.wavfile import Recording
from voice_haven.engine import EngineSettings
from voice_haven.recognition.base import JudgedUtterance
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.stop_check import CHECKED_CONFIDENCE, StopCheck
from voice_haven.recognition.word_model import STOP_MODEL, load_word_model
from voice_haven.vocabulary import Expect, Hearing, Intent

MISSED_STOP = "stop_68dd409e_nohash_0.wav"
"""A human "stop" PocketSphinx and its keyword spotter both miss at a yes/no turn."""


@pytest.fixture(scope="module")
def checked() -> StopCheck:
    return StopCheck(SphinxRecognizer(), load_word_model(STOP_MODEL))


def test_a_stop_the_recognizer_missed_is_asked_about(checked: StopCheck, gsc: Path) -> None:
    heard = checked.judge(Hearing(speech=True), endpointed(gsc / MISSED_STOP))
    assert heard.is_command("stop")
    assert heard.confidence == CHECKED_CONFIDENCE < EngineSettings().confirm_stop_below


def test_other_words_yes_no_and_noise_are_not_taken_for_stop(checked: StopCheck, gsc: Path) -> None:
    words = ("off", "go", "up", "no", "yes", "silence")
    clips = [path for word in words for path in sorted(gsc.glob(f"{word}_*.wav"))[:8]]
    missed = Hearing(speech=True)
    for path in clips:
        assert checked.judge(missed, endpointed(path)) is missed, path.name


def test_a_heard_answer_is_never_second_guessed(checked: StopCheck, gsc: Path) -> None:
    yes = Hearing("yes", Intent.COMMAND, "yes", 0.9, True)
    assert checked.judge(yes, endpointed(gsc / MISSED_STOP)) is yes


def test_turns_without_stop_and_the_wait_for_the_wake_phrase_are_not_checked(
    checked: StopCheck,
) -> None:
    for expect in (Expect.WAKE, Expect.NUMBER):
        assert not isinstance(checked.start(expect), JudgedUtterance)
    for expect in (Expect.YES_NO, Expect.RATING, Expect.BETWEEN, Expect.COMMAND):
        assert isinstance(checked.start(expect), JudgedUtterance)
    silence = Recording(np.zeros(RATE, np.float32), RATE)
    assert not hear_recording(checked, silence, Expect.YES_NO).understood


def test_a_session_asks_did_you_say_stop_and_stops(gsc: Path, tmp_path: Path) -> None:
    """The first answer of a replayed session is the missed "stop"; silence to the question."""
    result, _ = replay_session([gsc / MISSED_STOP], tmp_path)
    assert result.exit_code == 0, result.output
    assert "Did you say stop?" in result.output
