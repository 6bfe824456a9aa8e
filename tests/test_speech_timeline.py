"""--audio-out: the WAV is the session's timeline, speech and the silences between."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from voice_haven import script
from voice_haven.care import Care
from voice_haven.clock import VirtualClock
from voice_haven.engine import SessionEngine
from voice_haven.journal import open_journal
from voice_haven.speech import prompt_cache
from voice_haven.speech.render import PromptRenderer
from voice_haven.speech.sinks import FileSink, NullSink
from voice_haven.speech.speaker import AudioSpeaker
from voice_haven.speech.voices import find_voice
from voice_haven.typed import TypedListener

RATE = 22050


def read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as handle:
        assert (handle.getnchannels(), handle.getsampwidth()) == (1, 2)
        return np.frombuffer(handle.readframes(handle.getnframes()), "<i2") / 32768


def tone(seconds: float) -> np.ndarray:
    return np.full(round(seconds * RATE), 0.5, dtype=np.float32)


def test_sounds_land_where_the_clock_says(tmp_path: Path) -> None:
    clock = VirtualClock()
    sink = FileSink(tmp_path / "out.wav", clock, RATE)
    sink.play(tone(1.0))
    clock.sleep(2.0)
    sink.play(tone(0.5))
    clock.sleep(1.5)
    sink.close()
    audio = read(tmp_path / "out.wav")
    assert audio.size == 5 * RATE
    assert clock.elapsed == 5.0
    loud = np.abs(audio) > 0.25
    assert loud[:RATE].all() and not loud[RATE : 3 * RATE].any()
    assert loud[3 * RATE : int(3.5 * RATE)].all() and not loud[int(3.5 * RATE) :].any()


def test_file_is_playable_before_close(tmp_path: Path) -> None:
    """Written as it goes: a crash mid-session still leaves everything said so far."""
    clock = VirtualClock()
    sink = FileSink(tmp_path / "out.wav", clock, RATE)
    sink.play(tone(0.2))
    clock.sleep(0.8)
    sink.play(tone(0.2))
    assert read(tmp_path / "out.wav").size == round(1.2 * RATE)
    sink.close()
    sink.close()


def test_null_sink_moves_time_on_only() -> None:
    clock = VirtualClock()
    NullSink(clock, RATE).play(tone(1.5))
    assert clock.elapsed == 1.5


def record_session(tmp_path: Path, rate: int, answers: str, voice: str = "en-us+f3") -> Path:
    """A whole face session through the real engine, answered by typed lines."""
    clock = VirtualClock()
    out = tmp_path / f"{voice}-{rate}.wav"
    renderer = PromptRenderer(find_voice(voice), prompt_cache(tmp_path / "data"))
    speaker = AudioSpeaker(renderer, FileSink(out, clock, renderer.sample_rate), rate, cue=False)
    journal = open_journal(tmp_path / "data")
    engine = SessionEngine(
        script.load("face"),
        speaker,
        TypedListener(clock, io.StringIO(answers)),
        clock,
        journal,
        Care(),
    )
    assert engine.run() == "completed"
    speaker.close()
    journal.close()
    with wave.open(str(out), "rb") as handle:
        assert abs(handle.getnframes() / handle.getframerate() - clock.elapsed) < 0.01
    return out


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as handle:
        return handle.getnframes() / handle.getframerate()


def test_whole_session_recording_holds_speech_and_pauses(tmp_path: Path) -> None:
    out = record_session(tmp_path, 140, "7\nyes\n1\nyes\n")
    audio = read(out)
    assert duration(out) >= 20
    silent = np.abs(audio) < 1e-3
    assert 0.2 < silent.mean() < 0.8, "both speech and the pauses must be in the file"


def test_slow_rate_records_a_longer_session(tmp_path: Path) -> None:
    slow = duration(record_session(tmp_path, 110, "7\nyes\n1\nyes\n"))
    fast = duration(record_session(tmp_path, 180, "7\nyes\n1\nyes\n"))
    assert slow >= 1.1 * fast


def test_natural_voice_session_records_at_least_twenty_seconds(tmp_path: Path) -> None:
    out = record_session(tmp_path, 140, "7\nyes\n1\nyes\n", voice="hibari-heart")
    with wave.open(str(out), "rb") as handle:
        assert handle.getframerate() == 24000
    assert duration(out) >= 20
