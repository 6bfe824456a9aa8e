"""Real speech engines: pyttsx3 (espeak-ng) and hibari render text at the asked rate."""

from __future__ import annotations

import numpy as np
import pytest

from voice_haven.speech import phrasing
from voice_haven.speech.hibari_renderer import HibariRenderer, speed_for
from voice_haven.speech.pyttsx3_renderer import SAMPLE_RATE, Pyttsx3Renderer
from voice_haven.speech.voices import find_voice

SENTENCE = "Slowly stroke down over your cheeks to your jaw, and begin again at the top."


def seconds(audio: np.ndarray, rate: int) -> float:
    return audio.size / rate


def median_pitch(audio: np.ndarray, rate: int) -> float:
    """Median fundamental frequency of the loud 40 ms frames, by autocorrelation."""
    size = int(0.04 * rate)
    frames = [audio[i : i + size] for i in range(0, audio.size - size, size)]
    loud = [f for f in frames if np.sqrt(np.mean(f**2)) > 0.3 * np.max(np.abs(audio))]
    lags = np.arange(int(rate / 400), int(rate / 60))
    estimates = []
    for frame in loud:
        frame = frame - frame.mean()
        corr = np.correlate(frame, frame, "full")[size - 1 :]
        estimates.append(rate / lags[np.argmax(corr[lags])])
    return float(np.median(estimates))


@pytest.fixture(scope="module")
def calm() -> Pyttsx3Renderer:
    voice = find_voice("en-us+f3")
    return Pyttsx3Renderer(voice.engine_voice, voice.pitch)


def test_pyttsx3_renders_real_speech(calm: Pyttsx3Renderer) -> None:
    audio = calm.render(SENTENCE, 140)
    assert calm.sample_rate == SAMPLE_RATE == 22050
    assert 3.0 < seconds(audio, SAMPLE_RATE) < 9.0
    assert np.max(np.abs(audio)) > 0.1


def test_pyttsx3_keeps_the_asked_rate_when_rates_alternate(calm: Pyttsx3Renderer) -> None:
    """pyttsx3 used to drop a queued rate change now and then; every render must honour it."""
    lengths: dict[int, list[float]] = {110: [], 180: []}
    for rate in (110, 180, 110, 180, 110, 180):
        lengths[rate].append(seconds(calm.render(SENTENCE, rate), SAMPLE_RATE))
    for found in lengths.values():
        assert max(found) - min(found) < 0.05 * min(found)
    assert min(lengths[110]) > 1.4 * max(lengths[180])


def test_pyttsx3_keeps_its_chatter_off_stdout(
    calm: Pyttsx3Renderer, capsys: pytest.CaptureFixture[str]
) -> None:
    calm.render("Rest well.", 140)
    assert capsys.readouterr().out == ""


def test_voice_variants_are_really_applied() -> None:
    def pitch_of(name: str) -> float:
        voice = find_voice(name)
        audio = Pyttsx3Renderer(voice.engine_voice, voice.pitch).render(SENTENCE, 140)
        return median_pitch(audio, SAMPLE_RATE)

    assert pitch_of("en-us+f3") > 1.3 * pitch_of("en-us+m3")


def test_commas_and_full_stops_get_real_pauses(calm: Pyttsx3Renderer) -> None:
    joined = calm.render("Breathe in. And out.", 140)
    run = calm.render("Breathe in and out.", 140)
    assert seconds(joined, SAMPLE_RATE) > seconds(run, SAMPLE_RATE) + 0.4


def test_phone_numbers_are_read_digit_by_digit() -> None:
    assert (
        phrasing.spoken_form("call or text 988, at any hour") == "call or text 9 8 8, at any hour"
    )
    assert (
        phrasing.spoken_form("free on 116 123, at any hour") == "free on 1 1 6, 1 2 3, at any hour"
    )
    assert phrasing.spoken_form("Lifeline on 13 11 14") == "Lifeline on 13 11 14"
    assert phrasing.spoken_form("count 20") == "count 20"


def test_phrases_keep_their_punctuation() -> None:
    found = phrasing.phrases("Breathe in, slowly. Rest.")
    assert [p.text for p in found] == ["Breathe in,", "slowly.", "Rest."]
    assert found[0].pause_after < found[1].pause_after


def test_hibari_natural_voice_renders_at_24khz() -> None:
    voice = find_voice("natural")
    assert voice.name == "hibari-heart" and voice.engine == "hibari"
    renderer = HibariRenderer(voice.engine_voice)
    slow = renderer.render(SENTENCE, 110)
    fast = renderer.render(SENTENCE, 180)
    assert renderer.sample_rate == 24000
    assert 2.0 < seconds(fast, 24000) < seconds(slow, 24000) < 12.0
    assert seconds(slow, 24000) > 1.3 * seconds(fast, 24000)
    assert np.array_equal(renderer.render("Rest.", 140), renderer.render("Rest.", 140))


def test_hibari_speed_stays_in_its_range() -> None:
    assert speed_for(60) == 0.5
    assert speed_for(400) == 2.0
    assert 0.7 < speed_for(140) < 0.85
