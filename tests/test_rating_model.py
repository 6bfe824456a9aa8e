"""The rating model's say on framed and missed ratings, through the real second opinion."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import say
from replay_helpers import endpointed

from voice_haven.audio.embedding import speech_embedding
from voice_haven.audio.listener import hear_recording
from voice_haven.audio.wavfile import read_wav
from voice_haven.engine import EngineSettings
from voice_haven.recognition.enrolled import EnrolledRecognizer
from voice_haven.recognition.second_opinion import RATING_OF, SecondOpinionRecognizer
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.templates import VoiceTemplates
from voice_haven.recognition.word_model import RATING_MODEL, load_word_model
from voice_haven.vocabulary import NUMBER_WORDS, RATING_FRAMES, Expect, Hearing, Intent

TAKEN = EngineSettings().confirm_below


@pytest.fixture(scope="module")
def judged(session_judge: SecondOpinionRecognizer) -> SecondOpinionRecognizer:
    """As a session's: with the number cut from a framed rating too (``framed_number``)."""
    return session_judge


def test_it_knows_every_framing_of_every_number() -> None:
    model = load_word_model(RATING_MODEL)
    assert set(model.words) == set(RATING_OF)
    assert len(RATING_OF) == len(RATING_FRAMES) * len(NUMBER_WORDS)
    assert RATING_OF["seven out of ten"] == 7 and RATING_OF["it's a zero"] == 0


def test_a_framed_rating_the_recognizer_missed_is_taken(
    judged: SecondOpinionRecognizer, tmp_path: Path
) -> None:
    """espeak-ng's Scottish "about seven", which PocketSphinx understands nothing in."""
    pcm = endpointed(say("about seven", tmp_path / "seven.wav", voice="en-gb-scotland"))
    heard = judged.judge(Hearing(speech=True), pcm)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 7, None)
    assert heard.confidence >= TAKEN


def test_a_framed_rating_heard_as_another_number_is_the_model_s(
    judged: SecondOpinionRecognizer, tmp_path: Path
) -> None:
    """espeak-ng's Caribbean "about six", which PocketSphinx hears as "about three"."""
    pcm = endpointed(say("about six", tmp_path / "six.wav", voice="en-029"))
    heard = judged.judge(Hearing("about three", Intent.RATING, 3, 0.9, True), pcm)
    assert (heard.value, heard.guess) == (6, None) and heard.confidence >= TAKEN


def test_a_framed_rating_it_only_leans_against_is_asked_about(
    judged: SecondOpinionRecognizer, tmp_path: Path
) -> None:
    """New York "three out of ten" as if heard "two out of ten": "I heard three. Is that right?"."""
    pcm = endpointed(say("three out of ten", tmp_path / "three.wav", voice="en-us-nyc"))
    heard = judged.judge(Hearing("two out of ten", Intent.RATING, 2, 0.9, True), pcm)
    assert (heard.value, heard.guess) == (3, 2) and heard.confidence < TAKEN


def test_a_framed_rating_it_agrees_with_stands(
    judged: SecondOpinionRecognizer, tmp_path: Path
) -> None:
    recording = read_wav(say("seven out of ten", tmp_path / "seven.wav", voice="en-us"))
    heard = hear_recording(judged, recording, Expect.RATING)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 7, None)
    assert heard.confidence >= TAKEN


@pytest.mark.parametrize(
    "said", ["about the same", "much better", "my feet are cold", "what time is it"]
)
def test_answers_that_are_no_rating_are_not_taken_for_one(
    judged: SecondOpinionRecognizer, tmp_path: Path, said: str
) -> None:
    """Framed like a rating, or said instead of one: asked for again, never written down."""
    recording = read_wav(say(said, tmp_path / "said.wav", voice="en-gb"))
    assert hear_recording(judged, recording, Expect.RATING).intent is not Intent.RATING


def test_other_words_are_not_taken_for_ratings(judged: SecondOpinionRecognizer, gsc: Path) -> None:
    """gsc-dev's other words, none of them ever heard by the model."""
    clips = [p for word in ("off", "on", "up", "left") for p in sorted(gsc.glob(f"{word}_*"))[:5]]
    for path in clips:
        heard = judged.judge(Hearing(speech=True), endpointed(path))
        assert heard.intent is not Intent.RATING or heard.confidence < TAKEN, path.name


@pytest.mark.parametrize("clip", ["go_412c675c_nohash_0.wav", "down_0c540988_nohash_0.wav"])
def test_a_missed_word_it_finds_no_rating_is_neither_taken_nor_guessed(
    judged: SecondOpinionRecognizer, gsc: Path, clip: str
) -> None:
    """Human "go" and "down", which the number bank and the closed choice both took for two."""
    heard = judged.judge(Hearing(speech=True), endpointed(gsc / clip))
    assert not heard.understood and heard.guess is None


def test_an_enrolled_voice_s_framed_rating_is_taken_too(tmp_path: Path) -> None:
    """Enrolled with espeak-ng's bare US numbers; the Scottish "about seven" lies far from them."""
    takes = {
        n: (speech_embedding(endpointed(say(w, tmp_path / f"{w}.wav"))),)
        for n, w in enumerate(NUMBER_WORDS)
    }
    enrolled = EnrolledRecognizer(
        SphinxRecognizer(), VoiceTemplates(takes), rating_model=load_word_model(RATING_MODEL)
    )
    pcm = endpointed(say("about seven", tmp_path / "seven.wav", voice="en-gb-scotland"))
    heard = enrolled.judge(Hearing(speech=True), pcm)
    assert (heard.intent, heard.value) == (Intent.RATING, 7) and heard.confidence >= TAKEN


CALL = Hearing("help me", Intent.SAFETY, "help me", 0.9, True)


@pytest.mark.parametrize(("voice", "speed"), [("en-029+f4", 175), ("en-029", 140)])
def test_a_rating_heard_as_a_call_for_help_is_asked_about(
    judged: SecondOpinionRecognizer, tmp_path: Path, voice: str, speed: int
) -> None:
    """espeak-ng's Caribbean "about six", which PocketSphinx can hear as "help me"."""
    pcm = endpointed(say("about six", tmp_path / "six.wav", voice=voice, speed=speed))
    doubted = judged.call_confidence(CALL, pcm)
    assert doubted < EngineSettings().confirm_help_below


@pytest.mark.parametrize(
    ("text", "voice"),
    [("help me", "en-us"), ("help me", "en-029+f4"), ("please help me", "en-029+f4"),
     ("i need help", "en-gb"), ("emergency", "en-us")],
)  # fmt: skip
def test_a_call_for_help_stays_sure(
    judged: SecondOpinionRecognizer, tmp_path: Path, text: str, voice: str
) -> None:
    pcm = endpointed(say(text, tmp_path / "call.wav", voice=voice, speed=175))
    assert judged.call_confidence(CALL, pcm) == CALL.confidence


def test_a_call_heard_at_a_rating_turn_is_still_a_call(
    judged: SecondOpinionRecognizer, tmp_path: Path
) -> None:
    """Through the whole turn: the wrapper may only make a call less sure, and not this one."""
    recording = read_wav(say("help me", tmp_path / "call.wav", voice="en-us", speed=150))
    heard = hear_recording(judged, recording, Expect.RATING)
    assert heard.intent is Intent.SAFETY and heard.confidence >= EngineSettings().confirm_help_below
