"""The second opinion on ratings, with real human clips through real PocketSphinx."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import korean_model_dir
from click.testing import CliRunner
from replay_helpers import replay_session

from voice_haven.audio.listener import hear_recording
from voice_haven.audio.wavfile import Recording, read_wav
from voice_haven.cli import main
from voice_haven.recognition import second_opinion
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer, load_bank
from voice_haven.recognition.select import choose
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.vosk_recognizer import VoskRecognizer
from voice_haven.vocabulary import Expect, Intent


@pytest.fixture(scope="module")
def sphinx() -> SphinxRecognizer:
    return SphinxRecognizer()


@pytest.fixture(scope="module")
def checked(sphinx: SphinxRecognizer) -> SecondOpinionRecognizer:
    return SecondOpinionRecognizer(sphinx)


@pytest.fixture(scope="module")
def banked(sphinx: SphinxRecognizer) -> SecondOpinionRecognizer:
    return SecondOpinionRecognizer(sphinx, bank=load_bank())


def test_a_rating_the_bank_agrees_with_stands(banked: SecondOpinionRecognizer, fsdd: Path) -> None:
    heard = hear_recording(banked, read_wav(fsdd / "0_jackson_1.wav"), Expect.RATING)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 0, None)
    assert heard.confidence == pytest.approx(0.9)


def test_a_rating_the_bank_disputes_is_doubtful(
    banked: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """Heard right as three; the bank's nearest take, not near, says nine."""
    heard = hear_recording(banked, read_wav(fsdd / "3_george_41.wav"), Expect.RATING)
    assert (heard.intent, heard.value) == (Intent.RATING, 3)
    assert heard.guess not in (None, 3)
    assert heard.confidence == pytest.approx(banked.settings.doubtful_confidence)


def test_a_missed_number_the_bank_and_closed_choice_agree_on_is_taken(
    banked: SecondOpinionRecognizer, fsdd: Path
) -> None:
    heard = hear_recording(banked, read_wav(fsdd / "2_jackson_41.wav"), Expect.RATING)
    assert (heard.intent, heard.value) == (Intent.RATING, 2)
    assert heard.confidence == pytest.approx(banked.settings.agreed_confidence)


def test_a_missed_number_with_little_pitch_is_taken_when_both_opinions_agree(
    banked: SecondOpinionRecognizer, checked: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """This "six" has too few pitched steps for a guess, but lies near the bank's sixes."""
    clip = read_wav(fsdd / "6_lucas_41.wav")
    heard = hear_recording(banked, clip, Expect.RATING)
    assert (heard.intent, heard.value) == (Intent.RATING, 6)
    assert heard.confidence == pytest.approx(banked.settings.agreed_confidence)
    without_bank = hear_recording(checked, clip, Expect.RATING)
    assert not without_bank.understood and without_bank.guess is None


@pytest.mark.parametrize(
    ("clip", "proposed", "heard_as"),
    [
        # "six" heard as eight; the bank's near take says six.
        ("6_george_21.wav", 6, 8),
        # "seven" heard as ten; no bank take is near, but the nearest and the closed choice say 7.
        ("7_george_23.wav", 7, 10),
    ],
)
def test_a_disputed_rating_proposes_the_other_opinions_number(
    banked: SecondOpinionRecognizer, fsdd: Path, clip: str, proposed: int, heard_as: int
) -> None:
    heard = hear_recording(banked, read_wav(fsdd / clip), Expect.RATING)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, proposed, heard_as)
    assert heard.confidence == pytest.approx(banked.settings.doubtful_confidence)


def test_a_disputed_rating_far_nearer_one_bank_number_than_any_other_is_that_number(
    banked: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """Another "six" heard as eight, but the bank's sixes are much nearer than any other number."""
    heard = hear_recording(banked, read_wav(fsdd / "6_george_0.wav"), Expect.RATING)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 6, None)
    assert heard.confidence == pytest.approx(banked.settings.agreed_confidence)


def test_a_missed_number_near_a_bank_take_is_the_guess(
    banked: SecondOpinionRecognizer, fsdd: Path
) -> None:
    """Missed by the turn's model; the closed choice says one, the near bank take two."""
    heard = hear_recording(banked, read_wav(fsdd / "2_george_21.wav"), Expect.RATING)
    assert not heard.understood and heard.guess == 2


def test_a_command_near_a_bank_take_keeps_the_number_as_a_guess(
    banked: SecondOpinionRecognizer, fsdd: Path, gsc: Path
) -> None:
    """george's "two" comes through as "next"; a plain "yes" stays a plain "yes"."""
    two = hear_recording(banked, read_wav(fsdd / "2_george_24.wav"), Expect.RATING)
    assert (two.intent, two.value, two.guess) == (Intent.COMMAND, "next", 2)
    yes = hear_recording(banked, read_wav(gsc / "yes_022cd682_nohash_0.wav"), Expect.RATING)
    assert yes.guess is None


def test_the_bank_guesses_at_no_noise_or_command(
    banked: SecondOpinionRecognizer, gsc: Path
) -> None:
    noise = hear_recording(banked, read_wav(gsc / "silence_1024.wav"), Expect.RATING)
    assert not noise.understood and noise.guess is None
    stop = hear_recording(banked, read_wav(gsc / "stop_022cd682_nohash_0.wav"), Expect.RATING)
    assert stop.is_command("stop") and stop.guess is None


def test_a_word_unlike_every_number_in_the_bank_is_not_guessed_at(
    banked: SecondOpinionRecognizer, checked: SecondOpinionRecognizer, gsc: Path
) -> None:
    """A "down" at a rating turn: the closed choice alone would ask about a number."""
    clip = read_wav(gsc / "down_022cd682_nohash_0.wav")
    heard = hear_recording(banked, clip, Expect.RATING)
    assert not heard.understood and heard.guess is None
    assert hear_recording(checked, clip, Expect.RATING).guess is not None


def test_a_rating_both_opinions_hear_stands(checked: SecondOpinionRecognizer, fsdd: Path) -> None:
    heard = hear_recording(checked, read_wav(fsdd / "0_jackson_1.wav"), Expect.RATING)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 0, 0)
    assert heard.confidence == pytest.approx(0.9)


def test_a_disputed_rating_is_doubtful(
    sphinx: SphinxRecognizer, checked: SecondOpinionRecognizer, fsdd: Path
) -> None:
    clip = read_wav(fsdd / "0_george_11.wav")
    plain = hear_recording(sphinx, clip, Expect.RATING)
    heard = hear_recording(checked, clip, Expect.RATING)
    assert (plain.intent, plain.value, plain.confidence) == (Intent.RATING, 0, pytest.approx(0.9))
    assert (heard.intent, heard.value) == (Intent.RATING, 0)
    assert heard.guess not in (None, 0)
    assert heard.confidence == pytest.approx(checked.settings.doubtful_confidence)


def test_a_missed_number_comes_back_as_a_guess(
    sphinx: SphinxRecognizer, checked: SecondOpinionRecognizer, fsdd: Path
) -> None:
    clip = read_wav(fsdd / "2_jackson_41.wav")
    assert not hear_recording(sphinx, clip, Expect.RATING).understood
    heard = hear_recording(checked, clip, Expect.RATING)
    assert not heard.understood and heard.speech
    assert heard.guess == 2


def test_noise_a_command_and_a_long_answer_get_no_guess(
    checked: SecondOpinionRecognizer, fsdd: Path, gsc: Path
) -> None:
    noise = hear_recording(checked, read_wav(gsc / "silence_1024.wav"), Expect.RATING)
    assert not noise.understood and noise.guess is None
    stop = hear_recording(checked, read_wav(gsc / "stop_022cd682_nohash_0.wav"), Expect.RATING)
    assert stop.is_command("stop") and stop.guess is None
    takes = [read_wav(fsdd / f"{digit}_jackson_5.wav") for digit in (7, 4, 1, 3)]
    gap = np.zeros(takes[0].rate // 5, dtype=np.int16)
    joined = np.concatenate([part for take in takes for part in (take.samples, gap)])
    long = hear_recording(checked, Recording(joined, takes[0].rate), Expect.RATING)
    assert long.intent is not Intent.RATING and long.guess is None


def test_other_turns_are_untouched(checked: SecondOpinionRecognizer, gsc: Path) -> None:
    heard = hear_recording(checked, read_wav(gsc / "stop_022cd682_nohash_0.wav"), Expect.YES_NO)
    assert heard.is_command("stop") and heard.guess is None


def test_a_session_asks_about_a_doubtful_number_and_takes_an_agreed_one(
    fsdd: Path, gsc: Path, tmp_path: Path
) -> None:
    """Replayed human answers: each doubtful number is checked, and a "yes" keeps it.

    The answers: a five PocketSphinx hears as nine and the number model
    leans to five (asked about as five), "yes" to the check, "yes" to beginning,
    then a two the turn's model missed, which the number bank and the closed
    choice agree on: taken without a question.
    """
    yes = sorted(gsc.glob("yes_*.wav"))[0]
    said = [fsdd / "5_jackson_39.wav", yes, yes, fsdd / "2_jackson_41.wav"]
    result, data = replay_session(said, tmp_path)
    assert result.exit_code == 0, result.output
    assert "I heard five. Is that right?" in result.output
    assert "I heard two. Is that right?" not in result.output
    history = CliRunner().invoke(main, ["history", "--json", "--data-dir", str(data)])
    assert [r["value"] for r in json.loads(history.output)[-1]["ratings"]] == [5, 2]


def test_pocketsphinx_gets_the_second_opinion_and_vosk_its_own_confidence(tmp_path: Path) -> None:
    assert isinstance(choose("sphinx", None, tmp_path).recognizer, SecondOpinionRecognizer)
    vosk = choose("vosk", korean_model_dir(), tmp_path).recognizer
    assert isinstance(vosk, VoskRecognizer)


def test_without_its_number_bank_pocketsphinx_still_listens_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(second_opinion, "BANK_FILE", "no_such_bank.npz")
    second_opinion.load_bank.cache_clear()
    try:
        choice = choose("sphinx", None, tmp_path)
    finally:
        second_opinion.load_bank.cache_clear()
    assert isinstance(choice.recognizer, SecondOpinionRecognizer)
    assert choice.recognizer.bank is None
    assert "without its number bank" in choice.description
    assert "reinstall voice-haven" in choice.description
