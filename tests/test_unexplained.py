"""Voice the decode left unexplained: a rating turn's answer beside it is doubted.

The hum is the hibari voice's "mmm hmm mmm" after the answer, a little
quieter: pitched, and to PocketSphinx silence or noise, as the rest of a
sentence often is when one word of it is kept.
"""

from __future__ import annotations

import numpy as np
import pytest
from audio_helpers import Segment

from voice_haven.audio.listener import hear_recording
from voice_haven.audio.voicing import voiced_frames, voiced_mask
from voice_haven.audio.wavfile import Recording
from voice_haven.engine import EngineSettings
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer
from voice_haven.recognition.sphinx import SphinxRecognizer, SphinxSettings
from voice_haven.recognition.unexplained import MARGIN_FRAMES, unexplained_frames
from voice_haven.speech.render import PromptRenderer
from voice_haven.speech.voices import find_voice
from voice_haven.vocabulary import Expect, Intent

ASKS = EngineSettings()


@pytest.fixture(scope="module")
def voice() -> PromptRenderer:
    return PromptRenderer(find_voice("hibari"), None)


@pytest.fixture(scope="module")
def sphinx() -> SphinxRecognizer:
    return SphinxRecognizer()


def hummed(voice: PromptRenderer, answer: str, hum: bool = True) -> Recording:
    """``answer`` in the hibari voice, then (with ``hum``) a hum 20 dB quieter, then silence."""
    said = voice.prompt(answer, 140)
    parts = [said]
    if hum:
        humming = voice.prompt("mmm hmm mmm", 150)
        gap = np.zeros(voice.sample_rate // 10, dtype=np.float32)
        parts += [gap, humming * (0.1 * np.abs(said).max() / np.abs(humming).max())]
    parts.append(np.zeros(voice.sample_rate, dtype=np.float32))
    return Recording(np.concatenate(parts).astype(np.float32), voice.sample_rate)


def test_pitched_steps_outside_every_word_are_counted(voice: PromptRenderer) -> None:
    pcm = (hummed(voice, "Seven.", hum=False).samples * 32767).astype(np.int16)
    rate = voice.sample_rate
    steps = voiced_mask(pcm, rate).size
    assert voiced_frames(pcm, rate) > 20
    assert unexplained_frames(pcm, [Segment("seven", 0, steps)], rate) == 0
    silence_only = [Segment("<sil>", 0, steps), Segment("[NOISE]", 0, steps)]
    assert unexplained_frames(pcm, silence_only, rate) == voiced_frames(pcm, rate)
    first = int(np.flatnonzero(voiced_mask(pcm, rate))[0])
    just_before = [Segment("seven", 0, first - MARGIN_FRAMES)]
    assert unexplained_frames(pcm, just_before, rate) < voiced_frames(pcm, rate)


def test_a_rating_beside_unexplained_voice_is_asked_about(
    sphinx: SphinxRecognizer, session_judge: SecondOpinionRecognizer, voice: PromptRenderer
) -> None:
    for recognizer in (sphinx, session_judge):
        alone = hear_recording(recognizer, hummed(voice, "Seven.", hum=False), Expect.RATING)
        assert alone.value == 7 and alone.confidence >= ASKS.confirm_below
        beside = hear_recording(recognizer, hummed(voice, "Seven."), Expect.RATING)
        assert beside.value == 7 and beside.confidence < ASKS.confirm_below


def test_a_command_beside_it_is_not_understood_but_stop_always_is(
    sphinx: SphinxRecognizer, voice: PromptRenderer
) -> None:
    for command in ("Next.", "Louder."):
        assert hear_recording(sphinx, hummed(voice, command, hum=False), Expect.RATING).understood
        assert not hear_recording(sphinx, hummed(voice, command), Expect.RATING).understood
    stop = hear_recording(sphinx, hummed(voice, "Stop."), Expect.RATING)
    assert stop.is_command("stop") and stop.confidence >= ASKS.confirm_below


@pytest.mark.parametrize("expect", [Expect.RATING, Expect.BETWEEN])
def test_help_beside_it_is_asked_about_as_a_call_for_help(
    sphinx: SphinxRecognizer, voice: PromptRenderer, expect: Expect
) -> None:
    alone = hear_recording(sphinx, hummed(voice, "Help.", hum=False), expect)
    assert alone.is_command("help")
    heard = hear_recording(sphinx, hummed(voice, "Help."), expect)
    assert heard.intent is Intent.SAFETY and heard.confidence < ASKS.confirm_help_below


def test_other_turns_and_a_zero_setting_leave_answers_as_heard(
    sphinx: SphinxRecognizer, voice: PromptRenderer
) -> None:
    assert hear_recording(sphinx, hummed(voice, "Next."), Expect.COMMAND).is_command("next")
    assert hear_recording(sphinx, hummed(voice, "Louder."), Expect.BETWEEN).is_command("louder")
    off = SphinxRecognizer(SphinxSettings(unexplained_frames=0, unexplained_command_frames=0))
    assert hear_recording(off, hummed(voice, "Next."), Expect.RATING).is_command("next")
    seven = hear_recording(off, hummed(voice, "Seven."), Expect.RATING)
    assert seven.value == 7 and seven.confidence >= ASKS.confirm_below
