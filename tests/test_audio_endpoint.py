"""Endpointing on synthetic and real speech: starts, ends, timeouts, clicks, fans."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from voice_haven.audio.endpoint import Endpointer, EndpointSettings, Event, NoiseFloor
from voice_haven.audio.resample import resample
from voice_haven.audio.wavfile import read_wav

RATE = 16000
rng = np.random.default_rng(7)


def noise(seconds: float, db: float) -> np.ndarray:
    return (rng.standard_normal(round(seconds * RATE)) * 10 ** (db / 20)).astype(np.float32)


def voice(seconds: float, db: float = -20.0) -> np.ndarray:
    """A voiced sound: harmonics of 140 Hz with a syllable-like envelope."""
    t = np.arange(round(seconds * RATE)) / RATE
    wave = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12))
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t) ** 2
    wave = wave * envelope
    wave = wave / np.sqrt(np.mean(wave**2)) * 10 ** (db / 20)
    return wave.astype(np.float32)


def run(audio: np.ndarray, timeout: float = 10.0, chunk: float = 0.02, **settings: float):
    """Push audio in live-sized chunks; returns (events with times, utterance samples)."""
    endpointer = Endpointer(RATE, timeout, EndpointSettings(**settings))
    step = round(chunk * RATE)
    timeline: list[tuple[Event, float]] = []
    utterance: list[np.ndarray] = []
    for start in range(0, len(audio), step):
        for event, samples in endpointer.push(audio[start : start + step]):
            if event is Event.AUDIO:
                assert samples is not None
                utterance.append(samples)
            else:
                timeline.append((event, (start + step) / RATE))
            if event is Event.DISCARD:
                utterance.clear()
    joined = np.concatenate(utterance) if utterance else np.zeros(0, np.float32)
    return timeline, joined


def kinds(timeline: list[tuple[Event, float]]) -> list[Event]:
    return [event for event, _ in timeline]


def test_an_utterance_starts_at_the_voice_and_ends_after_0_6_s_of_silence() -> None:
    audio = np.concatenate([noise(1.0, -60), voice(0.8) + noise(0.8, -60), noise(2.0, -60)])
    timeline, utterance = run(audio)
    assert kinds(timeline) == [Event.START, Event.END]
    started, ended = timeline[0][1], timeline[1][1]
    assert 1.0 <= started <= 1.1
    assert 1.8 + 0.55 <= ended <= 1.8 + 0.7
    # pre-roll (0.3 s) + voice (0.8 s) + the silence that ended it (0.6 s)
    assert abs(len(utterance) / RATE - 1.7) < 0.06


def test_the_pre_roll_keeps_what_came_just_before_the_onset() -> None:
    soft = voice(0.15, db=-62)  # too quiet to start an utterance, but part of the word
    audio = np.concatenate([noise(1.0, -75), soft, voice(0.5), noise(1.5, -75)])
    _, utterance = run(audio)
    windows = np.lib.stride_tricks.sliding_window_view(audio, 32)
    start = int(np.flatnonzero(np.all(windows == utterance[:32], axis=1))[0])
    assert start <= round(1.0 * RATE)  # the soft start is inside the utterance


def test_nothing_said_times_out_after_the_timeout() -> None:
    timeline, utterance = run(noise(4.0, -55), timeout=3.0)
    assert timeline == [(Event.TIMEOUT, 3.0)]
    assert len(utterance) == 0


def test_a_click_or_knock_does_not_start_an_utterance() -> None:
    click = np.zeros(round(0.02 * RATE), np.float32)
    click[::7] = 0.8
    audio = np.concatenate([noise(1.0, -60), click, noise(2.5, -60)])
    timeline, _ = run(audio, timeout=3.0)
    assert kinds(timeline) == [Event.TIMEOUT]


def test_a_short_burst_is_discarded_and_listening_goes_on() -> None:
    audio = np.concatenate(
        [noise(0.5, -60), voice(0.07), noise(1.0, -60), voice(0.6), noise(1.5, -60)]
    )
    timeline, utterance = run(audio)
    assert kinds(timeline) == [Event.START, Event.DISCARD, Event.START, Event.END]
    assert abs(len(utterance) / RATE - 1.5) < 0.06


def test_pauses_inside_an_answer_do_not_end_it() -> None:
    said = [voice(0.4), noise(0.35, -60), voice(0.4)]  # "about ... seven"
    audio = np.concatenate([noise(0.5, -60), *said, noise(1.5, -60)])
    timeline, _ = run(audio)
    assert kinds(timeline) == [Event.START, Event.END]


def test_endless_sound_is_cut_at_the_maximum_length() -> None:
    audio = np.concatenate([noise(0.5, -60), voice(12.0) + noise(12.0, -60)])
    timeline, utterance = run(audio, noise_window=30.0)
    assert kinds(timeline) == [Event.START, Event.END]
    assert abs(len(utterance) / RATE - 8.0) < 0.05


def test_a_fan_that_starts_becomes_the_noise_floor() -> None:
    floor = NoiseFloor()
    quiet_then_fan = np.concatenate([noise(1.0, -70), noise(12.0, -35)])
    endpointer = Endpointer(RATE, 30.0, floor=floor)
    first = [e for e, _ in endpointer.push(quiet_then_fan) if e is not Event.AUDIO]
    assert first[0] is Event.START and first[-1] is Event.END
    # The fan was heard as sound for a while, then learnt; the next turn is not fooled.
    assert floor.level > -40
    later = Endpointer(RATE, 3.0, floor=floor)
    events = [e for e, _ in later.push(np.concatenate([noise(3.5, -35)]))]
    assert events == [Event.TIMEOUT]
    speech = np.concatenate([noise(0.5, -35), voice(0.6, db=-15), noise(1.5, -35)])
    assert Event.END in [e for e, _ in Endpointer(RATE, 3.0, floor=floor).push(speech)]


def test_quiet_room_hiss_never_counts_as_speech() -> None:
    timeline, _ = run(noise(3.0, -75), timeout=2.5)
    assert kinds(timeline) == [Event.TIMEOUT]


def test_real_spoken_digits_are_found_in_padding(fsdd: Path) -> None:
    for name in ("7_jackson_0.wav", "4_george_3.wav", "1_lucas_10.wav"):
        clip = read_wav(fsdd / name)
        speech = resample(clip.samples, clip.rate, RATE)
        audio = np.concatenate([noise(0.5, -70), speech, noise(1.0, -70)])
        timeline, utterance = run(audio)
        assert kinds(timeline) == [Event.START, Event.END], name
        assert len(utterance) / RATE > clip.seconds * 0.8, name
