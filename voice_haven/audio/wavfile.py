"""Reading answer recordings: any common WAV file becomes float32 mono plus its rate.

The stdlib ``wave`` module of Python 3.11 reads integer PCM only, while
phones and editors also write float and WAVE_FORMAT_EXTENSIBLE files, so the
RIFF chunks are parsed here directly. Every problem becomes one
``AudioFileError`` sentence naming the file, because a person replaying or
transcribing a folder needs to know which file is wrong and why, not a
traceback. numpy is imported only when samples are decoded.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import numpy as np

MIN_RATE = 8000
MAX_RATE = 48000
MIN_SECONDS = 0.02
"""Shorter than this cannot hold a spoken word (and catches one-sample files)."""

MAX_SECONDS = 300.0
"""An answer is seconds long; a longer file is almost surely the wrong file."""

_FORMAT_BYTES = 40
"""The longest format chunk (WAVE_FORMAT_EXTENSIBLE); only this much of one is read."""

_PIECE_FRAMES = 1 << 16
"""Frames decoded at a time, so a long multichannel file is never held several times over."""

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE


class AudioFileError(Exception):
    """A WAV file that cannot be used; ``str()`` is one sentence naming the file."""


@dataclass(frozen=True)
class Recording:
    """Mono float32 samples in [-1, 1] and their sample rate."""

    samples: np.ndarray
    rate: int
    source: str = ""

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


@dataclass(frozen=True)
class _Format:
    code: int
    channels: int
    rate: int
    bits: int
    block_align: int


def read_wav(path: str | Path) -> Recording:
    """Read a WAV file (8-48 kHz, any channel count, 8/16/24/32-bit PCM or float)."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            return _read(stream, name)
    except IsADirectoryError:
        raise AudioFileError(f"{name} is a folder, not a WAV file.") from None
    except FileNotFoundError:
        raise AudioFileError(f"{name} does not exist.") from None
    except OSError as exc:
        raise AudioFileError(f"{name} cannot be read ({exc.strerror or exc}).") from None


def decode_wav(data: bytes, name: str) -> Recording:
    """Decode the bytes of a WAV file; ``name`` is only used in error sentences."""
    return _read(io.BytesIO(data), name)


def _read(stream: BinaryIO, name: str) -> Recording:
    """Check the header first, so a huge or broken file is refused before it is loaded."""
    header = stream.read(12)
    if not header:
        raise AudioFileError(f"{name} is empty (0 bytes).")
    if len(header) < 12 or header[:4] not in (b"RIFF", b"RIFX", b"RF64") or header[8:12] != b"WAVE":
        raise AudioFileError(f"{name} is not a WAV file (it has no RIFF/WAVE header).")
    if header[:4] == b"RF64":
        raise AudioFileError(
            f"{name} is an RF64 (very large) WAV file, which is not supported; "
            "save the answer as 16-bit PCM WAV."
        )
    if header[:4] == b"RIFX":
        raise AudioFileError(f"{name} is a big-endian WAV file, which is not supported.")
    fmt, available = _find_data(stream, name)
    _check_format(fmt, name)
    frames = available // fmt.block_align
    seconds = frames / fmt.rate
    if frames == 0:
        raise AudioFileError(f"{name} holds no sound (0 samples).")
    if seconds < MIN_SECONDS:
        raise AudioFileError(
            f"{name} is too short to hold speech ({frames} samples, {seconds * 1000:.1f} ms)."
        )
    if seconds > MAX_SECONDS:
        raise AudioFileError(
            f"{name} is too long for an answer ({seconds / 60:.0f} minutes; "
            f"at most {MAX_SECONDS / 60:.0f} minutes are read)."
        )
    return Recording(_decode(stream, frames, fmt), fmt.rate, name)


def _find_data(stream: BinaryIO, name: str) -> tuple[_Format, int]:
    """Walk the chunks up to ``data``; return the format and how many audio bytes follow.

    Streamed recorders leave the data size at 0 or 0xFFFFFFFF and truncated
    copies claim more than they hold, so the size is capped by the file.
    """
    fmt: _Format | None = None
    while True:
        head = stream.read(8)
        if len(head) < 8:
            break
        kind, size = head[:4], struct.unpack("<I", head[4:])[0]
        if kind == b"data":
            if fmt is None:
                raise AudioFileError(f"{name} is damaged: its audio comes before its format.")
            here = stream.tell()
            remaining = stream.seek(0, io.SEEK_END) - here
            stream.seek(here)
            return fmt, remaining if size in (0, 0xFFFFFFFF) else min(size, remaining)
        if kind == b"fmt ":
            # A damaged size can claim gigabytes: read only what a format can hold.
            body = stream.read(min(size, _FORMAT_BYTES))
            fmt = _parse_format(body, name)
            stream.seek(size - len(body) + (size & 1), io.SEEK_CUR)
        else:
            stream.seek(size + (size & 1), io.SEEK_CUR)
    if fmt is None:
        raise AudioFileError(f"{name} is damaged: it has no format (fmt) chunk.")
    raise AudioFileError(f"{name} is damaged: it has no audio (data) chunk.")


def _parse_format(body: bytes, name: str) -> _Format:
    if len(body) < 16:
        raise AudioFileError(f"{name} is damaged: its format chunk is cut short.")
    code, channels, rate, _, block_align, bits = struct.unpack_from("<HHIIHH", body)
    if code == _EXTENSIBLE and len(body) >= 26:
        # The real format code is the first two bytes of the sub-format GUID.
        (code,) = struct.unpack_from("<H", body, 24)
    return _Format(code, channels, rate, bits, block_align)


def _check_format(fmt: _Format, name: str) -> None:
    if fmt.rate == 0:
        raise AudioFileError(f"{name} says its sample rate is 0 Hz, so it cannot be played.")
    if not MIN_RATE <= fmt.rate <= MAX_RATE:
        raise AudioFileError(
            f"{name} is sampled at {fmt.rate} Hz; use a recording between "
            f"{MIN_RATE // 1000} and {MAX_RATE // 1000} kHz."
        )
    if fmt.channels == 0:
        raise AudioFileError(f"{name} says it has 0 channels, so it holds no sound.")
    supported = (fmt.code == _PCM and fmt.bits in (8, 16, 24, 32)) or (
        fmt.code == _FLOAT and fmt.bits in (32, 64)
    )
    if not supported:
        kind = {_PCM: "PCM", _FLOAT: "float"}.get(fmt.code, f"format code {fmt.code}")
        raise AudioFileError(
            f"{name} uses an unsupported encoding ({kind}, {fmt.bits}-bit); "
            "save it as 16-bit PCM WAV."
        )
    if fmt.block_align != fmt.channels * fmt.bits // 8:
        raise AudioFileError(f"{name} is damaged: its frame size does not match its format.")


def _decode(stream: BinaryIO, frames: int, fmt: _Format) -> np.ndarray:
    """Decode up to ``frames`` frames into one mono array, a piece at a time.

    Five minutes of 48 kHz six-channel float audio is hundreds of megabytes;
    decoding it in one go would hold the bytes and several converted copies at
    once, more than a Pi has. Piece by piece, only the mono result is kept.
    """
    import numpy as np

    mono = np.empty(frames, dtype=np.float32)
    done = 0
    while done < frames:
        piece = stream.read(min(frames - done, _PIECE_FRAMES) * fmt.block_align)
        count = len(piece) // fmt.block_align
        if count == 0:
            break
        mono[done : done + count] = _samples(piece[: count * fmt.block_align], fmt)
        done += count
    return mono[:done]


def _samples(payload: bytes, fmt: _Format) -> np.ndarray:
    """Decode interleaved frames to float32 in [-1, 1] and average the channels."""
    import numpy as np

    width = fmt.bits // 8
    if fmt.code == _FLOAT:
        # NaN, infinities and overs are made safe before the cast to float32,
        # where a 64-bit value beyond its range would overflow (with a warning).
        values = np.frombuffer(payload, dtype=f"<f{width}")
        values = np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=-1.0)
        values = np.clip(values, -1.0, 1.0).astype(np.float32)
    elif width == 1:
        values = (np.frombuffer(payload, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 3:
        raw = np.frombuffer(payload, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        joined = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        values = (np.where(joined >= 1 << 23, joined - (1 << 24), joined) / float(1 << 23)).astype(
            np.float32
        )
    else:
        values = np.frombuffer(payload, dtype=f"<i{width}").astype(np.float32)
        values /= float(1 << (fmt.bits - 1))
    frames = values.reshape(-1, fmt.channels)
    mono = frames.mean(axis=1) if fmt.channels > 1 else frames[:, 0]
    return np.clip(mono, -1.0, 1.0).astype(np.float32)
