"""Reading WAV answers: every common encoding in, one clear sentence for every bad file."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from voice_haven.audio.wavfile import AudioFileError, decode_wav, read_wav

RATE = 16000


def tone(seconds: float = 0.25, rate: int = RATE, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float64)


def wav_bytes(
    payload: bytes,
    *,
    code: int = 1,
    channels: int = 1,
    rate: int = RATE,
    bits: int = 16,
    extensible: bool = False,
    data_size: int | None = None,
    extra_chunk: bytes = b"",
) -> bytes:
    """A RIFF/WAVE file built by hand, so every header field can be chosen (or broken)."""
    block = channels * bits // 8
    fields = struct.pack("<HHIIHH", 0xFFFE if extensible else code, channels, rate,
                         rate * block, block, bits)  # fmt: skip
    if extensible:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fields += struct.pack("<HHIH", 22, bits, 0, code) + guid_tail
    fmt = b"fmt " + struct.pack("<I", len(fields)) + fields
    size = len(payload) if data_size is None else data_size
    data = b"data" + struct.pack("<I", size) + payload
    body = b"WAVE" + fmt + extra_chunk + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def encode(signal: np.ndarray, bits: int, code: int = 1, channels: int = 1) -> bytes:
    frames = np.repeat(signal[:, None], channels, axis=1).reshape(-1)
    if code == 3:
        return frames.astype(f"<f{bits // 8}").tobytes()
    if bits == 8:
        return np.round(frames * 127 + 128).astype(np.uint8).tobytes()
    scaled = np.round(frames * (2 ** (bits - 1) - 1)).astype(np.int64)
    if bits == 24:
        little = scaled.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3]
        return little.tobytes()
    return scaled.astype(f"<i{bits // 8}").tobytes()


@pytest.mark.parametrize(
    ("bits", "code", "channels", "extensible"),
    [
        (8, 1, 1, False),
        (16, 1, 1, False),
        (16, 1, 2, False),
        (24, 1, 1, False),
        (32, 1, 2, False),
        (32, 3, 1, False),
        (64, 3, 1, False),
        (24, 1, 2, True),
        (32, 3, 2, True),
    ],
)
def test_every_common_encoding_decodes_to_the_same_mono_signal(
    bits: int, code: int, channels: int, extensible: bool
) -> None:
    signal = tone()
    data = wav_bytes(encode(signal, bits, code, channels), code=code, channels=channels,
                     bits=bits, extensible=extensible)  # fmt: skip
    recording = decode_wav(data, "answer.wav")
    assert recording.rate == RATE
    assert recording.samples.dtype == np.float32
    assert len(recording.samples) == len(signal)
    tolerance = 1.5 / 128 if bits == 8 else 1e-3
    assert np.max(np.abs(recording.samples - signal)) < tolerance


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000])
def test_rates_from_8_to_48_khz_are_read(tmp_path: Path, rate: int) -> None:
    path = tmp_path / "a.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(encode(tone(rate=rate), 16))
    recording = read_wav(path)
    assert recording.rate == rate
    assert recording.seconds == pytest.approx(0.25, abs=1e-3)


def test_stereo_is_averaged_to_mono() -> None:
    left, right = tone(), np.zeros(len(tone()))
    frames = np.stack([left, right], axis=1).reshape(-1)
    data = wav_bytes(np.round(frames * 32767).astype("<i2").tobytes(), channels=2)
    recording = decode_wav(data, "stereo.wav")
    assert np.max(np.abs(recording.samples - left / 2)) < 1e-3


def test_other_chunks_and_a_lying_data_size_are_tolerated() -> None:
    payload = encode(tone(), 16)
    listed = b"LIST" + struct.pack("<I", 5) + b"INFO!" + b"\x00"  # odd size: padded
    streamed = wav_bytes(payload, data_size=0xFFFFFFFF, extra_chunk=listed)
    assert len(decode_wav(streamed, "s.wav").samples) == len(tone())
    truncated = wav_bytes(payload, data_size=len(payload) * 4)
    assert len(decode_wav(truncated, "t.wav").samples) == len(tone())


def test_float_nan_and_overs_are_made_safe() -> None:
    signal = np.array([np.nan, 2.0, -3.0, np.inf] * 200, dtype=np.float64)
    recording = decode_wav(wav_bytes(encode(signal, 32, 3), code=3, bits=32), "f.wav")
    assert np.all(np.isfinite(recording.samples))
    assert recording.samples.max() <= 1.0 and recording.samples.min() >= -1.0


def one_sentence_naming(error: AudioFileError, name: str) -> str:
    message = str(error)
    assert name in message
    assert message.endswith(".") and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"hello, this is a text file and not audio at all", "not a WAV"),
        (b"RIFF\x10\x00\x00\x00WAVE", "no format"),
        (wav_bytes(b"\x00\x00", rate=0), "0 Hz"),
        (wav_bytes(b"\x00\x00" * 100, rate=96000), "96000 Hz"),
        (wav_bytes(b"\x00\x00"), "too short"),
        (wav_bytes(b""), "no sound"),
        (wav_bytes(b"\x00" * 4000, code=2, bits=4), "unsupported"),
        (wav_bytes(b"\x00" * 4000, bits=12), "unsupported"),
        (wav_bytes(b"\x00" * 4000, channels=0), "0 channels"),
        (wav_bytes(b"\x00" * 4000)[:40], "no audio"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt \x04\x00\x00\x00\x01\x00", "cut short"),
    ],
)
def test_bad_files_give_one_sentence_naming_the_file(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "answer-03.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFileError) as caught:
        read_wav(path)
    assert expected in one_sentence_naming(caught.value, "answer-03.wav")


def test_a_huge_file_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "night-recording.wav"
    rate, seconds = 8000, 301
    path.write_bytes(wav_bytes(b"\x80" * (rate * seconds), rate=rate, bits=8))
    with pytest.raises(AudioFileError) as caught:
        read_wav(path)
    assert "too long" in one_sentence_naming(caught.value, "night-recording.wav")


def test_missing_files_and_folders_are_named(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError) as missing:
        read_wav(tmp_path / "nowhere.wav")
    assert "does not exist" in one_sentence_naming(missing.value, "nowhere.wav")
    with pytest.raises(AudioFileError) as folder:
        read_wav(tmp_path)
    assert "folder" in one_sentence_naming(folder.value, str(tmp_path))


def test_real_corpus_clips_read(fsdd: Path, gsc: Path) -> None:
    digit = read_wav(fsdd / "7_jackson_0.wav")
    command = read_wav(next(gsc.glob("yes_*.wav")))
    assert (digit.rate, command.rate) == (8000, 16000)
    assert 0.1 < digit.seconds < 2 and 0.9 < command.seconds < 1.1
    assert 0.05 < float(np.max(np.abs(digit.samples))) <= 1.0
