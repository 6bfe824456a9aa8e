"""AudioListener with replayed WAV answers and the real Vosk recognizer (Korean model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_helpers import korean_model_dir, korean_vosk, say_korean

from voice_haven.audio.listener import AudioListener, hear_recording, to_int16
from voice_haven.audio.sources import ReplaySource
from voice_haven.audio.wavfile import AudioFileError, Recording, read_wav
from voice_haven.clock import VirtualClock
from voice_haven.floor import Floor
from voice_haven.listening import build_listener
from voice_haven.options import RunOptions
from voice_haven.runner import UserError
from voice_haven.vocabulary import Expect, Intent


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A replay folder: "six", then "stop", named so that file-name order is the answer order."""
    folder = tmp_path_factory.mktemp("answers")
    say_korean("여섯", folder / "01-six.wav")
    say_korean("멈춰", folder / "02-stop.wav")
    (folder / "notes.txt").write_text("not audio: ignored")
    return folder


def replay(folder: Path) -> tuple[AudioListener, ReplaySource, VirtualClock]:
    source = ReplaySource.from_folder(folder)
    clock = VirtualClock()
    return AudioListener(source, korean_vosk(), clock, Floor()), source, clock


def test_each_answer_turn_consumes_exactly_one_file_in_name_order(answers: Path) -> None:
    listener, source, _ = replay(answers)
    first = listener.listen(Expect.RATING, 10.0)
    assert (first.intent, first.value, first.speech) == (Intent.RATING, 6, True)
    assert 0.0 < first.confidence <= 1.0
    assert source.remaining == 1
    second = listener.listen(Expect.YES_NO, 10.0)
    assert second.is_command("stop")
    assert source.remaining == 0


def test_pauses_do_not_consume_answers_and_move_the_virtual_clock(answers: Path) -> None:
    listener, source, clock = replay(answers)
    assert listener.wait(42.0) is None
    assert clock.elapsed == pytest.approx(42.0)
    assert source.remaining == 2
    assert listener.listen(Expect.RATING, 10.0).value == 6


def test_the_clock_advances_by_the_audio_heard(answers: Path) -> None:
    listener, _, clock = replay(answers)
    clip = read_wav(answers / "01-six.wav")
    spoken_until = np.flatnonzero(np.abs(clip.samples) > 0.01)[-1] / clip.rate
    listener.listen(Expect.RATING, 10.0)
    # padding before (0.5 s) + the answer + the 0.6 s of silence that ends it
    assert clock.elapsed == pytest.approx(0.5 + spoken_until + 0.6, abs=0.1)


def test_when_the_answers_run_out_the_person_is_silent_for_the_timeout(answers: Path) -> None:
    listener, _, clock = replay(answers)
    listener.listen(Expect.RATING, 10.0)
    listener.listen(Expect.RATING, 10.0)
    before = clock.elapsed
    silent = listener.listen(Expect.RATING, 7.0)
    assert (silent.intent, silent.speech, silent.text) == (None, False, "")
    assert clock.elapsed - before == pytest.approx(7.0, abs=0.03)


def test_a_quiet_file_times_out_and_the_next_turn_gets_the_next_file(answers: Path) -> None:
    quiet = Recording(np.zeros(16000, np.float32), 16000, "quiet.wav")
    source = ReplaySource([quiet, read_wav(answers / "01-six.wav")])
    listener = AudioListener(source, korean_vosk(), VirtualClock())
    assert listener.listen(Expect.RATING, 3.0).speech is False
    assert listener.listen(Expect.RATING, 3.0).value == 6


def test_transcribing_a_recording_uses_the_same_path(answers: Path) -> None:
    recording = read_wav(answers / "02-stop.wav")
    assert hear_recording(korean_vosk(), recording, Expect.RATING).is_command("stop")
    # Only the turn's grammar counts: a rating is not a command between steps.
    six = hear_recording(korean_vosk(), read_wav(answers / "01-six.wav"), Expect.BETWEEN)
    assert six.intent is None and six.speech is True


def test_replay_of_a_folder_without_wav_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("nothing to hear")
    with pytest.raises(AudioFileError, match=r"holds no \.wav files"):
        ReplaySource.from_folder(tmp_path)


def test_a_bad_file_in_the_folder_is_named_before_the_session_starts(
    answers: Path, tmp_path: Path
) -> None:
    (tmp_path / "01.wav").write_bytes((answers / "01-six.wav").read_bytes())
    (tmp_path / "02.wav").write_bytes(b"not audio")
    with pytest.raises(AudioFileError, match=r"02\.wav"):
        ReplaySource.from_folder(tmp_path)


def test_float_audio_becomes_clipped_int16() -> None:
    pcm = to_int16(np.array([0.0, 0.5, -1.0, 1.5, -2.0], np.float32))
    assert pcm.dtype == np.int16
    assert pcm.tolist() == [0, 16384, -32767, 32767, -32768]


def test_build_listener_for_a_replay_says_how_it_listens(answers: Path, tmp_path: Path) -> None:
    options = RunOptions(
        audio_in=answers, recognizer="vosk", model=korean_model_dir(), data_dir=tmp_path
    )
    listener, description = build_listener(options, VirtualClock(), Floor())
    assert description == f"Listening with Vosk (model), replaying the answers in {answers}."
    assert listener.source.remaining == 2  # type: ignore[attr-defined]
    listener.close()
    missing = RunOptions(
        audio_out=tmp_path / "o.wav", recognizer="vosk", model=tmp_path / "none", data_dir=tmp_path
    )
    with pytest.raises(UserError, match="No Vosk model at"):
        build_listener(missing, VirtualClock(), Floor())
