"""The word models, on real human clips through the real embedding and PocketSphinx."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from replay_helpers import endpointed

from voice_haven.audio.embedding import speech_embedding
from voice_haven.audio.listener import hear_recording
from voice_haven.audio.resample import resample
from voice_haven.audio.span import RATE
from voice_haven.audio.wavfile import Recording, read_wav
from voice_haven.recognition import word_model
from voice_haven.recognition.base import RecognizerUnavailable
from voice_haven.recognition.call_check import CallCheck
from voice_haven.recognition.command_check import CommandCheck
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer, load_bank
from voice_haven.recognition.select import choose
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.stop_check import StopCheck
from voice_haven.recognition.word_model import (
    CALL_MODEL,
    COMMAND_MODEL,
    NUMBER_MODEL,
    RATING_MODEL,
    STOP_MODEL,
    WordModel,
    load_word_model,
    read_word_model,
    stretches,
    window,
)
from voice_haven.vocabulary import NUMBER_WORDS, Expect, Hearing, Intent


def embedding_of(path: Path) -> np.ndarray:
    recording = read_wav(path)
    return speech_embedding(resample(recording.samples, recording.rate, RATE))


@pytest.fixture(scope="module")
def model() -> WordModel:
    return load_word_model(NUMBER_MODEL)


@pytest.fixture(scope="module")
def judged(model: WordModel) -> SecondOpinionRecognizer:
    return SecondOpinionRecognizer(SphinxRecognizer(), bank=load_bank(), model=model)


def test_it_names_human_numbers_from_voices_it_never_heard(model: WordModel, fsdd: Path) -> None:
    """Every 10th take of each fsdd-dev speaker: three accents, 8 kHz, none of them trained on."""
    clips = sorted(fsdd.glob("*_*_*.wav"))[::10]
    named = [model.scores(embedding_of(p)).index == int(p.name[0]) for p in clips]
    assert len(named) == 150
    assert np.mean(named) >= 0.9


def test_noise_and_other_words_sound_less_like_numbers_than_numbers(
    model: WordModel, fsdd: Path, gsc: Path
) -> None:
    numbers = [model.scores(embedding_of(p)).none_of_them for p in sorted(fsdd.glob("*_0.wav"))]
    others = sorted(gsc.glob("left_*.wav"))[:10] + sorted(gsc.glob("silence_*.wav"))[:10]
    other = [model.scores(embedding_of(p)).none_of_them for p in others]
    assert np.median(numbers) < 0.3 < np.median(other)


def test_a_word_lengthened_by_noise_or_echo_is_read_in_the_middle(
    model: WordModel, fsdd: Path
) -> None:
    """A step more on each side of a "seven" (as noise or echo add): the same window and word."""
    embedding = embedding_of(fsdd / "7_lucas_4.wav")
    longer = np.concatenate([embedding[:1], embedding, embedding[-1:]])
    assert len(embedding) == word_model.STEPS < len(longer)
    assert np.array_equal(word_model.window(longer), word_model.window(embedding))
    scores = model.scores(longer)
    assert (scores.index, scores.word) == (7, "seven")
    probabilities = model.probabilities(longer)
    assert probabilities.shape == (12,) and probabilities.sum() == pytest.approx(1.0)


def test_a_framed_rating_is_left_to_the_other_opinions(
    judged: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """ "it's a seven" puts the number where the model does not look: the bank decides alone."""
    framed = Hearing("it's a seven", Intent.RATING, 7, 0.9, True)
    judged.judge(framed, endpointed(fsdd / "7_lucas_4.wav"))
    assert judged._last_scores is None


def test_a_misheard_rating_the_model_is_sure_of_is_its_number(
    judged: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """george's "six", which PocketSphinx hears as eight: the bank alone would only ask."""
    eight = Hearing("eight", Intent.RATING, 8, 0.9, True)
    heard = judged.judge(eight, endpointed(fsdd / "6_george_16.wav"))
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 6, None)
    assert heard.confidence == pytest.approx(judged.settings.agreed_confidence)
    model, judged.model = judged.model, None
    try:
        asked = judged.judge(eight, endpointed(fsdd / "6_george_16.wav"))
    finally:
        judged.model = model
    assert (asked.value, asked.guess) == (6, 8)
    assert asked.confidence == pytest.approx(judged.settings.doubtful_confidence)


@pytest.mark.parametrize(
    ("clip", "heard_as", "said"),
    [("6_jackson_30.wav", 10, 6), ("0_george_44.wav", 2, 0), ("6_jackson_49.wav", 6, 6)],
)
def test_a_rating_heard_is_the_models_number_even_unlike_any_it_learned(
    judged: SecondOpinionRecognizer, fsdd: Path, clip: str, heard_as: int, said: int
) -> None:
    """Human numbers the model finds unlike its synthetic ones, yet names right.

    PocketSphinx heard a number, so whether it is one is settled; which one
    is the model's to say. Before, the bank decided these alone: jackson's
    "six" heard as ten was taken as ten, his "six" heard as six asked about
    as eight.
    """
    heard = Hearing(NUMBER_WORDS[heard_as], Intent.RATING, heard_as, 0.9, True)
    judged_as = judged.judge(heard, endpointed(fsdd / clip))
    assert judged._last_scores is not None
    assert judged._last_scores.none_of_them >= judged.settings.model_number_like
    assert (judged_as.intent, judged_as.value, judged_as.guess) == (Intent.RATING, said, None)
    assert judged_as.confidence >= judged.settings.agreed_confidence


def test_a_missed_number_the_model_and_a_near_bank_take_agree_on_is_taken(
    judged: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """lucas's short "six", missed: the closed choice says seven; the bank and the model six."""
    heard = judged.judge(Hearing(speech=True), endpointed(fsdd / "6_lucas_18.wav"))
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 6, None)


def test_a_rating_outvoted_by_the_model_the_bank_and_the_closed_choice_is_theirs(
    judged: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """george's "four", heard as one: the model only leans to four, but the others say it too."""
    one = Hearing("one", Intent.RATING, 1, 0.9, True)
    heard = judged.judge(one, endpointed(fsdd / "4_george_16.wav"))
    assert judged._last_scores is not None and judged._last_scores.index == 4
    assert judged._last_scores.confidence < judged.settings.model_take
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 4, None)
    assert heard.confidence == pytest.approx(judged.settings.agreed_confidence)


def test_a_command_the_model_the_bank_and_the_closed_choice_hear_as_a_number_is_it(
    judged: SecondOpinionRecognizer, fsdd: Path, gsc: Path
) -> None:
    """george's "two" comes through as "go on"; every other opinion says two.

    A command heard in a word that is no number stays that command, and a
    "yes" stays a "yes" even when the answer sounds like a number.
    """
    two = hear_recording(judged, read_wav(fsdd / "2_george_1.wav"), Expect.RATING)
    assert (two.intent, two.value, two.guess) == (Intent.RATING, 2, None)
    go_on = Hearing("go on", Intent.COMMAND, "next", 0.9, True)
    assert judged.judge(go_on, endpointed(gsc / "yes_022cd682_nohash_0.wav")) == go_on
    yes = Hearing("yes", Intent.COMMAND, "yes", 0.9, True)
    assert judged.judge(yes, endpointed(fsdd / "2_george_1.wav")).is_command("yes")


def test_a_missed_number_without_pitch_is_taken_only_when_the_model_is_sure(
    judged: SecondOpinionRecognizer, fsdd: Path, gsc: Path
) -> None:
    """lucas's short "six" has no pitched step at all; a noise clip has none either."""
    six = judged.judge(Hearing(speech=True), endpointed(fsdd / "6_lucas_23.wav"))
    assert (six.intent, six.value, six.guess) == (Intent.RATING, 6, None)
    noise = judged.judge(Hearing(speech=True), endpointed(gsc / "silence_1024.wav"))
    assert not noise.understood and noise.guess is None


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
        read_word_model(broken)
    message = str(caught.value)
    assert str(broken) in message and "reinstall voice-haven" in message
    assert "\n" not in message


def test_a_model_for_another_embedding_is_refused(tmp_path: Path, model: WordModel) -> None:
    old = tmp_path / "number_model.npz"
    np.savez(old, format=np.array(1), words=np.array(model.words), weights=model.weights,
             bias=model.bias)  # fmt: skip
    with pytest.raises(RecognizerUnavailable, match="another version of voice-haven"):
        read_word_model(old)


def test_every_stretch_of_a_long_utterance_is_judged_as_the_middle_one_is(
    model: WordModel, fsdd: Path
) -> None:
    """A one-word answer has one stretch; a longer utterance one per step beyond it."""
    word = embedding_of(fsdd / "4_jackson_7.wav")
    assert np.allclose(stretches(word), window(word)[None, :])
    longer = np.concatenate([word, word[:3]])
    rows = stretches(longer)
    assert len(rows) == len(longer) - 8
    assert np.allclose(rows[(len(longer) - 9) // 2], window(longer))
    best = model.likeliest_stretch(longer)
    nones = [model.scores(longer[i : i + 9]).none_of_them for i in range(len(rows))]
    assert best.none_of_them == pytest.approx(min(nones))


def test_a_saved_model_reads_back_the_same(tmp_path: Path, model: WordModel, fsdd: Path) -> None:
    path = tmp_path / "copy.npz"
    model.save(path)
    again = read_word_model(path)
    assert again.words == model.words
    embedding = embedding_of(fsdd / "4_jackson_7.wav")
    before, after = model.scores(embedding), again.scores(embedding)
    assert (after.index, after.word) == (before.index, before.word)
    assert after.confidence == pytest.approx(before.confidence, rel=1e-4)


MODELS = {
    NUMBER_MODEL: "number model",
    RATING_MODEL: "rating model",
    STOP_MODEL: "stop model",
    COMMAND_MODEL: "command model",
    CALL_MODEL: "call model",
}


@pytest.mark.parametrize("name", list(MODELS))
def test_without_a_word_model_pocketsphinx_still_listens_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    real = word_model.load_word_model

    def missing(wanted: str) -> WordModel:
        return real("no_such_model.npz" if wanted == name else wanted)

    monkeypatch.setattr(word_model, "load_word_model", missing)
    choice = choose("sphinx", None, tmp_path)
    assert isinstance(choice.recognizer, SecondOpinionRecognizer)
    assert f"without its {MODELS[name]}" in choice.description
    assert "reinstall voice-haven" in choice.description
    inner = choice.recognizer.inner
    if name == NUMBER_MODEL:
        assert choice.recognizer.model is None and isinstance(inner, CommandCheck)
        assert choice.recognizer.framed is None
    elif name == RATING_MODEL:
        assert choice.recognizer.rating_model is None and choice.recognizer.model is not None
    elif name == STOP_MODEL:
        assert isinstance(inner, CommandCheck) and isinstance(inner.inner, CallCheck)
    elif name == CALL_MODEL:
        assert isinstance(inner, CommandCheck) and isinstance(inner.inner, StopCheck)
        assert isinstance(inner.inner.inner, SphinxRecognizer)
    else:
        assert isinstance(inner, StopCheck)


def test_a_session_recognizer_carries_every_model(tmp_path: Path) -> None:
    recognizer = choose("sphinx", None, tmp_path).recognizer
    assert isinstance(recognizer, SecondOpinionRecognizer)
    assert recognizer.model is load_word_model(NUMBER_MODEL)
    assert recognizer.rating_model is load_word_model(RATING_MODEL)
    assert recognizer.framed is not None and isinstance(recognizer.framed.locator, SphinxRecognizer)
    assert recognizer.framed.model is recognizer.model
    commands = recognizer.inner
    assert isinstance(commands, CommandCheck) and isinstance(commands.inner, StopCheck)
    assert commands.model is load_word_model(COMMAND_MODEL)
    assert commands.inner.model is load_word_model(STOP_MODEL)
    calls = commands.inner.inner
    assert isinstance(calls, CallCheck) and calls.model is load_word_model(CALL_MODEL)
    assert isinstance(calls.inner, SphinxRecognizer)
