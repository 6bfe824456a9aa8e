"""The last listen for a missed call for help, with real speech through the real call model."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import say
from replay_helpers import endpointed

from voice_haven.audio.listener import hear_recording
from voice_haven.audio.wavfile import read_wav
from voice_haven.engine import EngineSettings
from voice_haven.recognition.call_check import CallCheck
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.sphinx_help_calls import DOUBTFUL_HELP_CONFIDENCE
from voice_haven.recognition.word_model import CALL_MODEL, load_word_model
from voice_haven.vocabulary import SAFETY_PHRASES, Expect, Hearing, Intent


@pytest.fixture(scope="module")
def checked() -> CallCheck:
    return CallCheck(SphinxRecognizer(), load_word_model(CALL_MODEL))


@pytest.mark.parametrize(
    ("said", "voice"),
    [
        ("help me", "en-us"),
        ("kill myself", "en-us"),
        ("i need help", "en-gb"),
        ("i want to die", "en-us+f3"),
    ],
)
def test_a_call_for_help_the_recognizer_missed_is_asked_about(
    checked: CallCheck, tmp_path: Path, said: str, voice: str
) -> None:
    heard = checked.judge(Hearing(speech=True), endpointed(say(said, tmp_path / "c.wav", voice)))
    assert heard.intent is Intent.SAFETY and heard.value in SAFETY_PHRASES
    assert heard.confidence == DOUBTFUL_HELP_CONFIDENCE
    assert heard.confidence < EngineSettings().confirm_help_below


@pytest.mark.parametrize(
    "said",
    ["the soup is too hot", "can you open the window", "i need a new toothbrush", "help"],
)
def test_everyday_speech_and_the_help_command_are_not_taken_for_calls(
    checked: CallCheck, tmp_path: Path, said: str
) -> None:
    missed = Hearing(speech=True)
    assert checked.judge(missed, endpointed(say(said, tmp_path / "e.wav"))) is missed


def test_other_words_and_noise_never_become_calls(checked: CallCheck, gsc: Path) -> None:
    words = ("off", "on", "go", "up", "down", "left", "right", "silence")
    for path in [p for word in words for p in sorted(gsc.glob(f"{word}_*.wav"))[:4]]:
        heard = hear_recording(checked, read_wav(path), Expect.RATING)
        assert heard.intent is not Intent.SAFETY, path.name


def test_an_answer_the_recognizer_understood_is_left_alone(
    checked: CallCheck, tmp_path: Path
) -> None:
    heard = Hearing("seven", Intent.RATING, 7, 0.9, True)
    assert checked.judge(heard, endpointed(say("help me", tmp_path / "h.wav"))) is heard


@pytest.mark.parametrize(
    ("said", "voice"), [("can you open the window", "en-us"), ("about eight", "en-us+f3")]
)
def test_a_call_heard_whole_in_words_unlike_one_is_asked_about_first(
    checked: CallCheck, tmp_path: Path, said: str, voice: str
) -> None:
    """Everyday speech, or a rating, PocketSphinx might hear as "help me": asked about first."""
    call = Hearing("help me", Intent.SAFETY, "help me", 0.9, True)
    unlike = endpointed(say(said, tmp_path / "w.wav", voice))
    assert checked.call_confidence(call, unlike) == DOUBTFUL_HELP_CONFIDENCE


def test_a_call_heard_whole_that_sounds_like_one_stays_as_sure(
    checked: CallCheck, tmp_path: Path
) -> None:
    call = Hearing("i need help", Intent.SAFETY, "i need help", 0.9, True)
    meant = endpointed(say("i need help", tmp_path / "h.wav"))
    assert checked.call_confidence(call, meant) == call.confidence
    doubtful = Hearing("i need", Intent.SAFETY, "i need help", DOUBTFUL_HELP_CONFIDENCE, True)
    assert checked.call_confidence(doubtful, meant) == DOUBTFUL_HELP_CONFIDENCE
