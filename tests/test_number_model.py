"""The number model, on real human clips through the real embedding and PocketSphinx."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voice_haven.audio.embedding import speech_embedding
from voice_haven.audio.listener import hear_recording
from voice_haven.audio.resample import resample
from voice_haven.audio.span import RATE
from voice_haven.audio.wavfile import Recording, read_wav
from voice_haven.recognition import number_model
from voice_haven.recognition.base import RecognizerUnavailable
from voice_haven.recognition.number_model import (
    NUMBERS,
    NumberModel,
    load_number_model,
    read_number_model,
)
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer, load_bank
from voice_haven.recognition.select import choose
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.vocabulary import Expect, Hearing, Intent


def embedding_of(path: Path) -> np.ndarray:
    recording = read_wav(path)
    return speech_embedding(resample(recording.samples, recording.rate, RATE))


@pytest.fixture(scope="module")
def model() -> NumberModel:
    return load_number_model()


@pytest.fixture(scope="module")
def judged() -> SecondOpinionRecognizer:
    return SecondOpinionRecognizer(SphinxRecognizer(), bank=load_bank(), model=load_number_model())


def test_it_names_human_numbers_from_voices_it_never_heard(model: NumberModel, fsdd: Path) -> None:
    """Every 10th take of each fsdd-dev speaker: three accents, 8 kHz, none of them trained on."""
    clips = sorted(fsdd.glob("*_*_*.wav"))[::10]
    named = [model.scores(embedding_of(p)).number == int(p.name[0]) for p in clips]
    assert len(named) == 150
    assert np.mean(named) >= 0.9


def test_noise_and_other_words_sound_less_like_numbers_than_numbers(
    model: NumberModel, fsdd: Path, gsc: Path
) -> None:
    numbers = [model.scores(embedding_of(p)).not_a_number for p in sorted(fsdd.glob("*_0.wav"))]
    others = sorted(gsc.glob("left_*.wav"))[:10] + sorted(gsc.glob("silence_*.wav"))[:10]
    other = [model.scores(embedding_of(p)).not_a_number for p in others]
    assert np.median(numbers) < 0.3 < np.median(other)


def test_a_longer_answer_is_left_to_the_other_opinions(model: NumberModel, fsdd: Path) -> None:
    """ "three", a second's pause, "seven": not one word placed as the model learned words."""
    first = read_wav(fsdd / "3_lucas_4.wav")
    seven = read_wav(fsdd / "7_lucas_4.wav")
    gap = np.zeros(first.rate, dtype=np.float32)
    joined = np.concatenate([first.samples, gap, seven.samples])
    embedding = speech_embedding(resample(joined, first.rate, RATE))
    assert len(embedding) > number_model.STEPS
    assert model.scores(embedding) is None
    probabilities = model.probabilities(embedding_of(fsdd / "7_lucas_4.wav"))
    assert probabilities is not None and probabilities.shape == (NUMBERS + 1,)
    assert probabilities.sum() == pytest.approx(1.0)


def answer(path: Path) -> np.ndarray:
    """A clip as the judge gets it from the endpointer: 16 kHz int16, with silence around."""
    recording = read_wav(path)
    voice = resample(recording.samples, recording.rate, RATE)
    padded = np.concatenate([np.zeros(RATE * 3 // 10), voice, np.zeros(RATE * 2 // 10)])
    return (padded * 32767).astype(np.int16)


def test_a_misheard_rating_the_model_is_sure_of_is_its_number(
    judged: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """george's "six", which PocketSphinx hears as eight: the bank alone would only ask."""
    eight = Hearing("eight", Intent.RATING, 8, 0.9, True)
    heard = judged.judge(eight, answer(fsdd / "6_george_16.wav"))
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 6, None)
    assert heard.confidence == pytest.approx(judged.settings.agreed_confidence)
    judged.model = None
    try:
        asked = judged.judge(eight, answer(fsdd / "6_george_16.wav"))
    finally:
        judged.model = load_number_model()
    assert (asked.value, asked.guess) == (6, 8)
    assert asked.confidence == pytest.approx(judged.settings.doubtful_confidence)


def test_a_missed_number_the_model_and_a_near_bank_take_agree_on_is_taken(
    judged: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """lucas's short "six", missed: the closed choice says seven; the bank and the model six."""
    heard = judged.judge(Hearing(speech=True), answer(fsdd / "6_lucas_18.wav"))
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 6, None)


def test_a_rating_the_model_agrees_with_stands(judged: SecondOpinionRecognizer, fsdd: Path) -> None:
    heard = hear_recording(judged, read_wav(fsdd / "0_jackson_1.wav"), Expect.RATING)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 0, None)


def test_noise_is_still_nothing_heard(judged: SecondOpinionRecognizer, gsc: Path) -> None:
    noise = hear_recording(judged, read_wav(gsc / "silence_1024.wav"), Expect.RATING)
    assert not noise.understood and noise.guess is None
    silence = hear_recording(judged, Recording(np.zeros(RATE, np.float32), RATE), Expect.RATING)
    assert not silence.understood


def test_a_damaged_model_is_named_in_one_sentence(tmp_path: Path) -> None:
    broken = tmp_path / "number_model.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(RecognizerUnavailable) as caught:
        read_number_model(broken)
    message = str(caught.value)
    assert str(broken) in message and "reinstall voice-haven" in message
    assert "\n" not in message


def test_a_model_for_another_embedding_is_refused(tmp_path: Path, model: NumberModel) -> None:
    old = tmp_path / "number_model.npz"
    np.savez(old, format=np.array(1), weights=model.weights, bias=model.bias)
    with pytest.raises(RecognizerUnavailable, match="another version of voice-haven"):
        read_number_model(old)


def test_without_its_number_model_pocketsphinx_still_listens_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(number_model, "MODEL_FILE", "no_such_model.npz")
    load_number_model.cache_clear()
    try:
        choice = choose("sphinx", None, tmp_path)
    finally:
        load_number_model.cache_clear()
    assert isinstance(choice.recognizer, SecondOpinionRecognizer)
    assert choice.recognizer.model is None and choice.recognizer.bank is not None
    assert "without its number model" in choice.description


def test_a_session_recognizer_carries_the_model(tmp_path: Path) -> None:
    recognizer = choose("sphinx", None, tmp_path).recognizer
    assert isinstance(recognizer, SecondOpinionRecognizer)
    assert recognizer.model is load_number_model()
