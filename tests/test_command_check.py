"""The last listen for a missed command, with real clips through real PocketSphinx."""

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
from voice_haven.recognition.command_check import CHECKED_CONFIDENCE, CommandCheck
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.stop_check import StopCheck
from voice_haven.recognition.word_model import COMMAND_MODEL, STOP_MODEL, load_word_model
from voice_haven.vocabulary import COMMANDS, Expect, Hearing, Intent

MISSED_NO = "no_67961766_nohash_0.wav"
"""A human "no" PocketSphinx hears nothing in at a yes/no turn."""


@pytest.fixture(scope="module")
def checked() -> CommandCheck:
    """As a session's: with PocketSphinx's closed choice between the commands."""
    sphinx = SphinxRecognizer()
    stop = StopCheck(sphinx, load_word_model(STOP_MODEL))
    return CommandCheck(stop, load_word_model(COMMAND_MODEL), chooser=sphinx)


def test_a_no_the_recognizer_missed_is_taken(checked: CommandCheck, gsc: Path) -> None:
    recording = read_wav(gsc / MISSED_NO)
    assert not hear_recording(SphinxRecognizer(), recording, Expect.YES_NO).understood
    heard = hear_recording(checked, recording, Expect.YES_NO)
    assert heard.is_command("no") and heard.confidence == CHECKED_CONFIDENCE


@pytest.mark.parametrize(("said", "command"), [("help", "help"), ("i'm ready", "resume")])
def test_a_command_the_recognizer_missed_is_taken(
    checked: CommandCheck, tmp_path: Path, said: str, command: str
) -> None:
    """espeak-ng's clean voice, where PocketSphinx may hear nothing to act on ("help" as "to")."""
    heard = checked.judge(Hearing(speech=True), endpointed(say(said, tmp_path / "said.wav")))
    assert heard.is_command(command) and heard.text == said
    assert heard.confidence == CHECKED_CONFIDENCE


def test_other_words_noise_and_numbers_are_not_taken_for_commands(
    checked: CommandCheck, gsc: Path, fsdd: Path
) -> None:
    """Whatever PocketSphinx makes of them, the command model adds no command of its own."""
    words = ("off", "on", "go", "up", "down", "left", "right", "silence")
    clips = [path for word in words for path in sorted(gsc.glob(f"{word}_*.wav"))[:6]]
    clips += sorted(fsdd.glob("*_jackson_0.wav"))
    for path in clips:
        heard = hear_recording(checked, read_wav(path), Expect.YES_NO)
        assert heard.confidence != CHECKED_CONFIDENCE, path.name


def test_a_command_heard_as_another_is_the_one_the_model_is_sure_of(
    checked: CommandCheck, tmp_path: Path
) -> None:
    """espeak-ng's Caribbean "louder", which PocketSphinx hears as "slower"."""
    pcm = endpointed(say("louder", tmp_path / "louder.wav", voice="en-029", speed=140))
    heard = checked.judge(Hearing("slower", Intent.COMMAND, "slower", 0.9, True), pcm)
    assert heard.is_command("louder") and heard.confidence == CHECKED_CONFIDENCE


def test_a_heard_yes_or_no_and_an_agreed_command_stay_as_they_are(
    checked: CommandCheck, gsc: Path, tmp_path: Path
) -> None:
    """The recognizer, trained on real voices, tells "yes" from "no" better than the model."""
    heard = Hearing("yes", Intent.COMMAND, "yes", 0.9, True)
    assert checked.judge(heard, endpointed(gsc / MISSED_NO)) is heard
    agreed = Hearing("help", Intent.COMMAND, "help", 0.9, True)
    assert checked.judge(agreed, endpointed(say("help", tmp_path / "help.wav"))) is agreed


def test_a_stop_phrase_it_hears_is_only_asked_about(checked: CommandCheck, tmp_path: Path) -> None:
    """A wrong "stop" would end the session: like the stop check's, it is a doubtful one."""
    path = say("that's enough", tmp_path / "enough.wav", voice="en-gb-scotland", speed=150)
    heard = checked.judge(Hearing(speech=True), endpointed(path))
    assert heard.is_command("stop") and heard.text == "that's enough"
    assert heard.confidence < EngineSettings().confirm_stop_below


def test_only_command_and_yes_no_turns_are_checked(checked: CommandCheck) -> None:
    def judged_here(expect: Expect) -> bool:
        utterance = checked.start(expect)
        return isinstance(utterance, JudgedUtterance) and utterance.judge is checked

    assert [e for e in Expect if judged_here(e)] == [Expect.YES_NO, Expect.COMMAND]
    silence = Recording(np.zeros(RATE, np.float32), RATE)
    assert not hear_recording(checked, silence, Expect.YES_NO).understood


def test_a_session_hears_the_missed_no_to_its_first_question(
    gsc: Path, fsdd: Path, tmp_path: Path
) -> None:
    """A rating, then "Shall we begin?" answered with the missed "no": it ends, not asked again."""
    result, _ = replay_session([fsdd / "7_lucas_4.wav", gsc / MISSED_NO], tmp_path)
    assert result.exit_code == 0, result.output
    assert "Shall we begin?" in result.output and "We'll stop here" in result.output
    assert "was that a yes or a no" not in result.output


@pytest.mark.parametrize(
    ("said", "voice", "command"),
    [("pause", "en-gb-x-rp", "pause"), ("go on", "en-gb-scotland", "next")],
)
def test_a_command_the_model_and_the_closed_choice_agree_on_is_taken(
    checked: CommandCheck, tmp_path: Path, said: str, voice: str, command: str
) -> None:
    """espeak-ng voices PocketSphinx hears nothing in, and the model alone is not sure of."""
    pcm = endpointed(say(said, tmp_path / "said.wav", voice=voice))
    alone = CommandCheck(checked.inner, checked.model)
    assert not alone.judge(Hearing(speech=True), pcm).understood
    heard = checked.judge(Hearing(speech=True), pcm)
    assert heard.is_command(command) and heard.confidence == CHECKED_CONFIDENCE


def test_the_closed_choice_names_a_command_in_any_sound(gsc: Path) -> None:
    """Which is why it only ever agrees with the model, never decides alone."""
    sphinx = SphinxRecognizer()
    assert sphinx.closed_command(endpointed(gsc / MISSED_NO)) in COMMANDS
    assert sphinx.closed_command(endpointed(sorted(gsc.glob("left_*.wav"))[0])) in COMMANDS
