"""The live microphone path with a fake sound card: only PortAudio's hardware is faked.

The fake ``InputStream`` calls the real callback from its own thread, as
PortAudio does, with speech recorded at the device's 48 kHz; the source,
resampler, endpointer, half-duplex floor and the real Vosk recognizer are
all the real code.
"""

from __future__ import annotations

import io
import math
import time
from pathlib import Path

import numpy as np
import pytest
import soundcard_fake as fake
from audio_helpers import korean_vosk, say_korean

from voice_haven.audio.listener import AudioListener
from voice_haven.audio.resample import resample
from voice_haven.audio.sources import MicrophoneSource
from voice_haven.audio.wavfile import read_wav
from voice_haven.clock import RealClock
from voice_haven.fallback import TypedFallback
from voice_haven.floor import Floor
from voice_haven.ports import DeviceUnavailable, MicrophoneLost
from voice_haven.recognition.vosk_recognizer import VoskRecognizer
from voice_haven.typed import CaptionSpeaker, TypedListener
from voice_haven.vocabulary import Expect, Intent

RATE = 48000


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    """Korean "six" and "stop" as the microphone would capture them at 48 kHz."""
    folder = tmp_path_factory.mktemp("mic")
    out = {}
    for name, word in (("six", "여섯"), ("stop", "멈춰")):
        clip = read_wav(say_korean(word, folder / f"{name}.wav"))
        out[name] = resample(clip.samples, clip.rate, RATE)
    return out


def room(seconds: float) -> np.ndarray:
    return fake.room(seconds, RATE)


def card_playing(
    script: np.ndarray, speed: float = 20.0, dies: bool = False, reopen_fails: bool = True
) -> fake.ScriptedMicrophone:
    """Plays ``script``; ``dies`` pulls it out afterwards; ``reopen_fails`` refuses later opens."""
    refusals = math.inf if reopen_fails else 0
    return fake.ScriptedMicrophone(RATE, script, first_dies=dies, refusals=refusals, speed=speed)


@pytest.fixture(scope="module")
def vosk() -> VoskRecognizer:
    """Loaded before any stream starts, so no test audio goes stale while the model loads."""
    return korean_vosk()


def microphone(monkeypatch: pytest.MonkeyPatch, card: fake.ScriptedMicrophone) -> MicrophoneSource:
    sd = fake.install(monkeypatch, [fake.HDMI, {**fake.USB_MIC, "rate": float(RATE)}])
    monkeypatch.setattr(sd, "InputStream", card.stream)
    return MicrophoneSource.for_device("USB")


def test_the_microphone_is_opened_at_its_own_rate_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    card = card_playing(room(0.1))
    source = microphone(monkeypatch, card)
    try:
        assert source.rate == RATE
        assert card.opened[0]["device"] == 1 and card.opened[0]["samplerate"] == RATE
        assert card.opened[0]["channels"] == 1
        chunk = source.read()
        assert chunk.rate == RATE and chunk.captured_at is not None
    finally:
        source.close()


def test_no_microphone_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    fake.install(monkeypatch, [fake.HEADPHONES])
    with pytest.raises(DeviceUnavailable, match="No microphone was found"):
        MicrophoneSource.for_device(None)


def test_missing_portaudio_means_no_microphone(monkeypatch: pytest.MonkeyPatch) -> None:
    fake.without_portaudio(monkeypatch)
    with pytest.raises(DeviceUnavailable, match="PortAudio"):
        MicrophoneSource.for_device(None)


def test_an_answer_is_heard_from_a_48_khz_microphone(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer, words: dict[str, np.ndarray]
) -> None:
    card = card_playing(np.concatenate([room(0.6), words["six"], room(1.0)]))
    listener = AudioListener(microphone(monkeypatch, card), vosk, RealClock(), Floor())
    try:
        heard = listener.listen(Expect.RATING, 5.0)
    finally:
        listener.close()
    assert (heard.intent, heard.value) == (Intent.RATING, 6)


def test_the_microphone_is_deaf_while_the_device_speaks(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer, words: dict[str, np.ndarray]
) -> None:
    floor = Floor(tail=0.0)
    floor.speaking_for(1.5)  # everything captured in the next 1.5 s is the device itself
    card = card_playing(np.concatenate([room(0.2), words["six"], room(3.0)]), speed=1.0)
    listener = AudioListener(microphone(monkeypatch, card), vosk, RealClock(), floor)
    try:
        heard = listener.listen(Expect.RATING, 1.0)
    finally:
        listener.close()
    assert heard.speech is False and heard.intent is None


def test_a_pause_ends_early_for_a_command(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer, words: dict[str, np.ndarray]
) -> None:
    card = card_playing(
        np.concatenate([room(1.0), words["six"], room(1.0), words["stop"], room(1.0)])
    )
    listener = AudioListener(microphone(monkeypatch, card), vosk, RealClock(), Floor())
    try:
        heard = listener.wait(30.0)
    finally:
        listener.close()
    # "six" is not something to say between steps; "stop" is, and ends the pause at once.
    assert heard is not None and heard.is_command("stop")


def test_a_pause_without_commands_lasts_its_length(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer, words: dict[str, np.ndarray]
) -> None:
    card = card_playing(np.concatenate([room(0.5), words["six"], room(1.0)]))
    listener = AudioListener(microphone(monkeypatch, card), vosk, RealClock(), Floor())
    try:
        assert listener.wait(4.0) is None
    finally:
        listener.close()


def test_a_lost_microphone_is_reported_as_lost_after_one_retry(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer, caplog: pytest.LogCaptureFixture
) -> None:
    """MicrophoneLost, not a plain end of input: it is what lets a session go on typed."""
    card = card_playing(room(0.3), dies=True, reopen_fails=True)
    listener = AudioListener(microphone(monkeypatch, card), vosk, RealClock(), Floor())
    with pytest.raises(MicrophoneLost):
        listener.listen(Expect.RATING, 10.0)
    listener.close()
    assert len(card.opened) == 1  # the second open was tried and refused
    assert "could not be opened again" in caplog.text


def test_a_microphone_that_comes_back_is_used_again(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer, caplog: pytest.LogCaptureFixture
) -> None:
    card = card_playing(room(0.3), dies=True, reopen_fails=False)
    listener = AudioListener(microphone(monkeypatch, card), vosk, RealClock(), Floor())
    try:
        heard = listener.listen(Expect.RATING, 1.0)
    finally:
        listener.close()
    assert heard.speech is False
    assert len(card.opened) == 2
    assert "opening it again" in caplog.text


def test_build_listener_without_a_microphone_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from voice_haven.clock import VirtualClock
    from voice_haven.listening import build_listener
    from voice_haven.options import RunOptions

    fake.install(monkeypatch, [])
    with pytest.raises(DeviceUnavailable, match="No microphone was found"):
        build_listener(RunOptions(data_dir=tmp_path), VirtualClock(), Floor())


def test_audio_from_long_before_the_turn_is_not_taken_for_an_answer(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer, words: dict[str, np.ndarray]
) -> None:
    card = card_playing(np.concatenate([room(0.2), words["six"], room(0.5)]))
    source = microphone(monkeypatch, card)
    source.stale = 0.3
    time.sleep(0.8)  # "six" was said (and captured) well before the question
    listener = AudioListener(source, vosk, RealClock(), Floor())
    try:
        assert listener.listen(Expect.RATING, 1.0).intent is None
    finally:
        listener.close()


def test_a_lost_microphone_hands_over_to_typed_answers(
    monkeypatch: pytest.MonkeyPatch, vosk: VoskRecognizer
) -> None:
    """The real microphone path dies; the fallback says so and the typed answer is heard."""
    card = card_playing(room(0.3), dies=True, reopen_fails=True)
    listener = AudioListener(microphone(monkeypatch, card), vosk, RealClock(), Floor())
    captions = io.StringIO()
    keyboard = io.StringIO("seven\n")
    fallback = TypedFallback(
        listener,
        CaptionSpeaker(stream=captions),
        lambda: TypedListener(RealClock(), keyboard),
        has_terminal=lambda: True,
    )
    try:
        assert fallback.listen(Expect.RATING, 10.0).value == 7
    finally:
        listener.close()
    assert "type your answers" in captions.getvalue()
