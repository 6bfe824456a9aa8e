"""The number inside a framed rating: PocketSphinx's alignment, the cut word, the second opinion."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import Segment, say
from replay_helpers import endpointed

from voice_haven.audio.span import RATE, voiced_span
from voice_haven.engine import EngineSettings
from voice_haven.recognition.framed_number import FramedNumber
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.sphinx_closed import framed_grammar, number_span
from voice_haven.recognition.word_model import NUMBER_MODEL, load_word_model
from voice_haven.vocabulary import Hearing, Intent

TAKEN = EngineSettings().confirm_below


@pytest.fixture(scope="module")
def sphinx() -> SphinxRecognizer:
    return SphinxRecognizer()


def test_the_grammar_holds_every_framing() -> None:
    grammar = framed_grammar()
    assert "( <n> out of ten )" in grammar and "( about <n> )" in grammar
    assert "( it's a <n> )" in grammar and "seven" in grammar


def test_the_first_number_is_the_rating() -> None:
    """In "ten out of ten" the rating is the first "ten"; silences and pronunciations skipped."""
    words = [("<sil>", 0, 20), ("ten(2)", 21, 50), ("out", 51, 70), ("of", 71, 80),
             ("ten", 81, 110), ("</s>", 111, 130)]  # fmt: skip
    span = number_span([Segment(*word) for word in words], offset=1000)
    assert span is not None and (span.number, span.framed) == (10, True)
    assert (span.start, span.end) == (1000 + 21 * 160, 1000 + 51 * 160)


def test_a_bare_number_is_not_framed() -> None:
    span = number_span([Segment("<sil>", 0, 9), Segment("four", 10, 40)])
    assert span is not None and (span.number, span.framed) == (4, False)
    assert number_span([Segment("<sil>", 0, 9)]) is None


@pytest.mark.parametrize(
    ("text", "number", "first"),
    [("seven out of ten", 7, True), ("about four", 4, False), ("it's a two", 2, False)],
)
def test_the_alignment_finds_the_number(
    sphinx: SphinxRecognizer, tmp_path: Path, text: str, number: int, first: bool
) -> None:
    """Real PocketSphinx on espeak-ng's voice: the number, and which end of the answer it is at."""
    pcm = endpointed(say(text, tmp_path / "rating.wav"))
    span = sphinx.number_span(pcm)
    voice = voiced_span(pcm, before=0.0, after=0.0)
    assert span is not None and span.framed and span.number == number
    middle = (voice.start + voice.stop) // 2
    assert (span.end <= middle + RATE // 10) if first else (span.start >= middle - RATE // 10)


def test_a_bare_number_is_left_to_the_other_opinions(
    sphinx: SphinxRecognizer, tmp_path: Path
) -> None:
    framed = FramedNumber(sphinx, load_word_model(NUMBER_MODEL), sphinx.sample_rate)
    assert framed.number(endpointed(say("seven", tmp_path / "seven.wav")), 0.0) is None


def test_an_answer_unlike_a_rating_is_not_aligned_at_all(
    sphinx: SphinxRecognizer, tmp_path: Path
) -> None:
    """The rating model's "no rating" above the gate: nothing is cut, whatever the words."""
    framed = FramedNumber(sphinx, load_word_model(NUMBER_MODEL), sphinx.sample_rate)
    pcm = endpointed(say("six out of ten", tmp_path / "six.wav", voice="en-029"))
    assert framed.number(pcm, 0.9) is None
    assert framed.number(pcm, 0.0) == 6


def test_a_framed_rating_nothing_else_settled_is_taken(
    session_judge: SecondOpinionRecognizer, tmp_path: Path
) -> None:
    """espeak-ng's Caribbean "six out of ten": missed by PocketSphinx, the rating model unsure."""
    pcm = endpointed(say("six out of ten", tmp_path / "six.wav", voice="en-029"))
    heard = session_judge.judge(Hearing(speech=True), pcm)
    assert (heard.intent, heard.value, heard.guess) == (Intent.RATING, 6, None)
    assert heard.confidence >= TAKEN


def test_a_cut_word_the_whole_answer_disagrees_with_is_only_a_guess(
    session_judge: SecondOpinionRecognizer, tmp_path: Path
) -> None:
    """A "nine out of ten" whose cut-out word sounds like "ten", while the rating model leans
    to nine: asked about, never written down."""
    pcm = endpointed(say("nine out of ten", tmp_path / "nine.wav", voice="en-029+f4"))
    heard = session_judge.judge(Hearing(speech=True), pcm)
    assert not heard.understood and heard.guess == 10
