"""The last listen for a missed "stop", with real human clips through real PocketSphinx."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_helpers import say
from replay_helpers import endpointed, replay_session

from voice_haven.audio.listener import hear_recording
from voice_haven.audio.span import RATE
from voice_haven.audio.wavfile import Recording, read_wav
from voice_haven.engine import EngineSettings
from voice_haven.recognition.base import JudgedUtterance
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.stop_check import CHECKED_CONFIDENCE, StopCheck, StopCheckSettings
from voice_haven.recognition.word_model import STOP_MODEL, load_word_model
from voice_haven.speech.render import PromptRenderer
from voice_haven.speech.voices import find_voice
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


def test_a_heard_yes_or_no_is_never_second_guessed(checked: StopCheck, gsc: Path) -> None:
    """The model's own words are the recognizer's to tell apart, even on a clear "stop"."""
    for word in ("yes", "no"):
        heard = Hearing(word, Intent.COMMAND, word, 0.9, True)
        assert checked.judge(heard, endpointed(gsc / MISSED_STOP)) is heard


@pytest.mark.parametrize("voice", ["en-us-nyc+m5", "en-gb-x-gbcwmd+f5"])
def test_a_stop_heard_as_another_command_is_asked_about(
    checked: StopCheck, tmp_path: Path, voice: str
) -> None:
    """espeak-ng's "stop", clean, which PocketSphinx hears as "help" at a command turn."""
    recording = read_wav(say("stop", tmp_path / "stop.wav", voice=voice, speed=175))
    assert hear_recording(SphinxRecognizer(), recording, Expect.COMMAND).is_command("help")
    heard = hear_recording(checked, recording, Expect.COMMAND)
    assert heard.is_command("stop") and heard.confidence == CHECKED_CONFIDENCE


def test_a_word_heard_as_another_command_needs_less_of_the_model(
    checked: StopCheck, tmp_path: Path
) -> None:
    """espeak-ng's RP "stop" at 175, which PocketSphinx hears as "help": the model is
    sure enough of it for a heard word, not for a sound the recognizer missed."""
    pcm = endpointed(say("stop", tmp_path / "stop.wav", voice="en-gb-x-rp+m7", speed=175))
    heard = Hearing("help", Intent.COMMAND, "help", 0.9, True)
    found = checked.judge(heard, pcm)
    assert found.is_command("stop") and found.confidence == CHECKED_CONFIDENCE
    defaults = StopCheckSettings()
    as_if_missed = StopCheckSettings(
        heard_sure=defaults.sure,
        heard_stop_like=defaults.stop_like,
        heard_voiced_frames=defaults.voiced_frames,
    )
    strict = StopCheck(checked.inner, checked.model, as_if_missed)
    assert strict.judge(heard, pcm) is heard


def test_other_commands_heard_stay_what_they_are(checked: StopCheck, tmp_path: Path) -> None:
    """Commands the stop model learned as none of its words, "help" in a natural voice."""
    recordings = {w: read_wav(say(w, tmp_path / f"{w}.wav")) for w in ("pause", "next", "skip")}
    voice = PromptRenderer(find_voice("hibari"), None)
    recordings["help"] = Recording(voice.prompt("Help.", 140), voice.sample_rate)
    for word, recording in recordings.items():
        assert hear_recording(checked, recording, Expect.COMMAND).is_command(word), word


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
