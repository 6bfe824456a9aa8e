"""The speaker as the engine uses it: pace remembered, gain without clipping, the cue, devices."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
import soundcard_fake as fake

from voice_haven.clock import VirtualClock
from voice_haven.floor import Floor
from voice_haven.options import RunOptions
from voice_haven.ports import DeviceUnavailable
from voice_haven.settings import Settings, load_settings, save_settings
from voice_haven.speech import VoiceError, build_speaker
from voice_haven.speech.cue import cue_tone
from voice_haven.speech.sinks import DeviceSink, FileSink, NullSink
from voice_haven.speech.speaker import apply_gain


def speaker_for(tmp_path: Path, settings: Settings | None = None, **options: object):
    clock = VirtualClock()
    chosen = RunOptions(data_dir=tmp_path, audio_out=tmp_path / "out.wav", **options)  # type: ignore[arg-type]
    return build_speaker(chosen, settings or Settings(), clock, Floor()), clock


def recorder(calls: list[tuple[int, int]]):
    """Stands in for ``sounddevice.play``: notes the length and rate of what would be heard."""

    def play(data: np.ndarray, samplerate: int, **kw: object) -> None:
        assert kw.get("blocking") is True
        calls.append((data.size, samplerate))

    return play


def test_slower_is_remembered_without_undoing_other_settings(tmp_path: Path) -> None:
    speaker, _ = speaker_for(tmp_path, rate=140)
    save_settings(tmp_path, Settings(notice_shown=True, country="GB"))
    speaker.set_pace(0.85)
    assert speaker.rate == 119
    saved = load_settings(tmp_path)
    assert (saved.rate, saved.notice_shown, saved.country) == (119, True, "GB")
    speaker.close()


def test_a_sessions_own_slowness_is_not_remembered(tmp_path: Path) -> None:
    speaker, _ = speaker_for(tmp_path, rate=140)
    speaker.set_session_pace(0.8)
    assert speaker.rate == 112
    assert load_settings(tmp_path).rate is None
    speaker.set_pace(1.15)
    assert (speaker.rate, load_settings(tmp_path).rate) == (129, 161)
    speaker.close()


def test_rate_comes_from_option_then_settings_then_default(tmp_path: Path) -> None:
    assert speaker_for(tmp_path, rate=170)[0].rate == 170
    assert speaker_for(tmp_path, Settings(rate=125))[0].rate == 125
    assert speaker_for(tmp_path)[0].rate == 140


def test_faster_speech_takes_less_time(tmp_path: Path) -> None:
    speaker, clock = speaker_for(tmp_path, rate=140)
    text = "Keep the touch going, and hum a simple tune, twice through."
    speaker.say(text)
    normal = clock.elapsed
    speaker.set_pace(1.45)
    speaker.say(text)
    assert clock.elapsed - normal < 0.8 * normal
    speaker.close()


def test_gain_never_clips() -> None:
    loud = np.array([0.0, 0.5, -0.9], dtype=np.float32)
    assert np.max(np.abs(apply_gain(loud, 2.0))) <= 0.98
    assert np.allclose(apply_gain(loud, 0.5), loud * 0.5)


def test_louder_and_quieter_change_what_is_heard(tmp_path: Path) -> None:
    speaker, _ = speaker_for(tmp_path)
    speaker.say("One.")
    speaker.set_gain(0.4)
    speaker.say("One.")
    speaker.close()
    with wave.open(str(tmp_path / "out.wav"), "rb") as handle:
        audio = np.frombuffer(handle.readframes(handle.getnframes()), "<i2") / 32768
    half = audio.size // 2
    assert np.max(np.abs(audio[half:])) < 0.5 * np.max(np.abs(audio[:half]))


def test_cue_is_short_soft_and_gentle() -> None:
    tone = cue_tone(22050)
    assert 0.2 < tone.size / 22050 < 0.35
    assert 0.05 < np.max(np.abs(tone)) <= 0.15
    assert abs(tone[0]) < 1e-3 and abs(tone[-1]) < 1e-3
    spectrum = np.abs(np.fft.rfft(tone, 22050))
    strongest = sorted(np.argsort(spectrum)[-2:])
    assert abs(strongest[0] - 523) <= 3 and abs(strongest[1] - 659) <= 3


def test_cue_plays_on_the_timeline_unless_turned_off(tmp_path: Path) -> None:
    on, clock_on = speaker_for(tmp_path)
    on.cue()
    assert 0.2 < clock_on.elapsed < 0.35
    off, clock_off = speaker_for(tmp_path / "off", Settings(cue=False))
    off.cue()
    assert clock_off.elapsed == 0
    forced, clock_forced = speaker_for(tmp_path / "forced", Settings(cue=False), cue=True)
    forced.cue()
    assert clock_forced.elapsed > 0


def test_sinks_follow_the_options(tmp_path: Path) -> None:
    clock = VirtualClock()
    recording = RunOptions(data_dir=tmp_path, audio_out=tmp_path / "o.wav")
    assert isinstance(build_speaker(recording, Settings(), clock, Floor()).sink, FileSink)
    replay = RunOptions(data_dir=tmp_path, audio_in=tmp_path)
    assert isinstance(build_speaker(replay, Settings(), clock, Floor()).sink, NullSink)


def test_unknown_voice_is_one_sentence_but_a_stale_saved_one_is_forgiven(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="no voice called 'robot'"):
        speaker_for(tmp_path, voice="robot")
    speaker, _ = speaker_for(tmp_path, Settings(voice="long-gone"))
    assert speaker.renderer.voice.name == "en-us+f3"


def test_no_speaker_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    fake.install(monkeypatch, [fake.USB_MIC])
    with pytest.raises(DeviceUnavailable, match="No speaker was found"):
        DeviceSink.for_device(None, 22050, Floor())


def test_device_playback_blocks_and_closes_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    sd = fake.install(monkeypatch, [fake.USB_MIC, fake.HEADPHONES], default=(0, 1))
    played: list[tuple[int, int]] = []
    monkeypatch.setattr(sd, "play", recorder(played))
    monkeypatch.setattr(sd, "check_output_settings", lambda **kw: None)
    floor = Floor(tail=0.0)
    sink = DeviceSink.for_device("headphones", 22050, floor)
    sink.play(np.zeros(22050, dtype=np.float32))
    assert played == [(22050, 22050)]
    assert sink.device.index == 1
    assert not floor.is_open()


def test_device_rate_it_cannot_take_is_resampled(monkeypatch: pytest.MonkeyPatch) -> None:
    sd = fake.install(monkeypatch, [fake.HEADPHONES], default=(-1, 0))
    played: list[tuple[int, int]] = []
    monkeypatch.setattr(sd, "play", recorder(played))

    def refuse(**kw: object) -> None:
        raise sd.PortAudioError("Invalid sample rate")

    monkeypatch.setattr(sd, "check_output_settings", refuse)
    DeviceSink.for_device(None, 22050, Floor()).play(np.zeros(2205, dtype=np.float32))
    assert played and played[0][1] == 48000 and abs(played[0][0] - 4800) <= 2


def test_speaker_failing_mid_session_carries_on_in_captions(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sd = fake.install(monkeypatch, [fake.HEADPHONES], default=(-1, 0))
    monkeypatch.setattr(sd, "check_output_settings", lambda **kw: None)

    def unplugged(*args: object, **kw: object) -> None:
        raise sd.PortAudioError("Device unavailable")

    monkeypatch.setattr(sd, "play", unplugged)
    sink = DeviceSink.for_device(None, 22050, Floor())
    sink.play(np.zeros(220, dtype=np.float32))
    sink.play(np.zeros(220, dtype=np.float32))
    assert capsys.readouterr().err.count("speaker stopped working") == 1
