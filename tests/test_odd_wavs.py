"""Property-based: odd WAV files never crash reading, transcribing or replaying.

A person replays answers or transcribes recordings from phones, editors and
old recorders, and copies get cut short. Whatever the file, the result is
either a recording or one sentence naming the file, with a non-zero exit
from the command line; never a traceback.

Generated inputs (the care-and-safety issue asks for at least 1,000; this
file alone feeds 1,890 odd WAVs, beside tests/test_bad_input.py's session
files, settings files and typed lines):

===============================================  =====
test_generated_wavs_decode_or_are_named           1000
test_random_bytes_are_named                        300
test_generated_wavs_read_from_disk                 150
test_replay_folders_are_read_or_named              150  (1-3 files each)
test_transcribe_names_every_bad_file               250  (through the CLI)
test_a_replay_session_refuses_an_odd_answer         40  (a whole session)
===============================================  =====

plus 22 fixed examples (empty, 0 Hz, one sample, RF64, ...), a format chunk
claiming 4 GB and a genuinely long four-minute recording. The reader tests
are fast; the command line runs in-process with CliRunner so the recognizer
loads once. The whole file takes about 20 s on a 2-core machine.
"""

from __future__ import annotations

import math
import struct
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from voice_haven.audio.sources import ReplaySource
from voice_haven.audio.wavfile import (
    MAX_RATE,
    MAX_SECONDS,
    MIN_RATE,
    MIN_SECONDS,
    AudioFileError,
    Recording,
    decode_wav,
    read_wav,
)
from voice_haven.cli import main

NAME = "answer-07.wav"
ODD_NAME = "réponse 07 (copy).wav"
"""Spaces, brackets and accents: the name must still come out whole in the sentence."""

PCM, FLOAT, EXTENSIBLE = 1, 3, 0xFFFE
GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
SUPPORTED = {PCM: (8, 16, 24, 32), FLOAT: (32, 64)}


pytestmark = pytest.mark.filterwarnings("error")
"""A warning printed while reading a file is noise in front of the person, as a traceback is."""


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``auto`` means PocketSphinx, whatever models or settings this machine has."""
    monkeypatch.delenv("VOICE_HAVEN_MODEL", raising=False)
    monkeypatch.setenv("VOICE_HAVEN_HOME", str(tmp_path / "home"))


def fixture_ok(examples: int) -> settings:
    """Hypothesis settings for tests that reuse pytest's tmp_path across examples."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@dataclass(frozen=True)
class OddWav:
    """Generated file bytes, and the frame count when every header field is honest.

    ``frames`` is None when something was broken on purpose, so the file may
    be refused; when it is set, the file is a valid WAV a reader must accept.
    """

    data: bytes
    frames: int | None
    rate: int


def _chunk(kind: bytes, body: bytes, size: int | None = None) -> bytes:
    """A RIFF chunk; ``size`` may lie about the body.

    An honest odd-sized chunk gets its pad byte. A lying one does not: a
    streamed or cut-short file ends where its audio ends, and a pad byte
    there would be read as one more sample.
    """
    honest = size is None or size == len(body)
    head = kind + struct.pack("<I", len(body) if size is None else size)
    return head + body + (b"\x00" if len(body) & 1 and honest else b"")


def make_wav(
    payload: bytes,
    *,
    code: int = PCM,
    channels: int = 1,
    rate: int = 16000,
    bits: int = 16,
    extensible: bool = False,
    data_size: int | None = None,
    magic: bytes = b"RIFF",
) -> bytes:
    """An honest WAV file (unless ``data_size`` lies), for the fixed examples."""
    block = channels * bits // 8
    fields = struct.pack("<HHIIHH", code, channels, rate, rate * block & 0xFFFFFFFF, block, bits)
    if extensible:
        fields = struct.pack("<H", EXTENSIBLE) + fields[2:]
        fields += struct.pack("<HHIH", 22, bits, 0, code) + GUID_TAIL
    body = b"WAVE" + _chunk(b"fmt ", fields) + _chunk(b"data", payload, data_size)
    return magic + struct.pack("<I", len(body)) + body


def noise(frames: int, channels: int = 1, dtype: str = "<i2", seed: int = 7) -> bytes:
    """Quiet noise: something to hear, nothing to understand."""
    values = np.random.default_rng(seed).standard_normal(frames * channels) * 0.1
    if dtype.startswith("<f"):
        return values.astype(dtype).tobytes()
    if dtype == "|u1":  # 8-bit WAV samples are unsigned, silence at 128
        return (values * 127 + 128).astype(np.uint8).tobytes()
    return (values * 2 ** (8 * int(dtype[2:]) - 1)).astype(dtype).tobytes()


def good_answer() -> bytes:
    """Half a second of stereo 48 kHz, the format a phone or a laptop records."""
    return make_wav(noise(24000, 2), channels=2, rate=48000)


#: Ways to break a file on purpose; a file with none of them must be accepted.
BREAKAGES = (
    "code",
    "bits",
    "channels",
    "rate",
    "block",
    "fmt-size",
    "fmt-cut",
    "data-short",
    "data-first",
    "no-fmt",
    "no-data",
    "magic",
    "cut",
)

#: Lies that readers must see through: streamed sizes, copies cut short, a wrong RIFF size.
HARMLESS = ("data-streamed", "data-huge", "riff-size")


@st.composite
def odd_wavs(draw: st.DrawFn, *, sound_only: bool = False) -> OddWav:
    """RIFF/WAVE files with every header field chosen from the usual, the rare and the absurd.

    ``sound_only`` keeps to files a reader must accept (only harmless lies),
    cheaper than filtering when a test needs good files too.
    """
    faults: set[str] = set()
    if draw(st.booleans()):
        pool = HARMLESS if sound_only else BREAKAGES + HARMLESS
        faults = draw(st.sets(st.sampled_from(pool), min_size=1, max_size=3))

    code = draw(st.sampled_from([PCM, PCM, PCM, FLOAT]))
    if "code" in faults:
        code = draw(st.sampled_from([0, 2, 6, 7, 0x55, 0xFFFF]))
    bits = draw(st.sampled_from(SUPPORTED.get(code, (16,))))
    if "bits" in faults:
        bits = draw(st.sampled_from([0, 1, 4, 12, 20, 48, 65535]))
    channels = draw(st.sampled_from([1, 1, 2, 2, 6]))
    if "channels" in faults:
        channels = draw(st.sampled_from([0, 65535]))
    rate = draw(st.sampled_from([8000, 11025, 16000, 22050, 44100, 48000]))
    if "rate" in faults:
        rate = draw(
            st.one_of(
                st.sampled_from([0, 1, 7999, 48001, 96000, 192000, 2**31, 2**32 - 1]),
                st.integers(0, 2**32 - 1),
            )
        )
    block = channels * bits // 8 & 0xFFFF
    if "block" in faults:
        block = draw(st.integers(0, 65535))
    fields = struct.pack("<HHIIHH", code, channels, rate, (rate * block) & 0xFFFFFFFF, block, bits)
    if draw(st.booleans()):  # WAVE_FORMAT_EXTENSIBLE, the real code in its sub-format GUID
        fields = struct.pack("<H", EXTENSIBLE) + fields[2:]
        fields += struct.pack("<HHIH", 22, bits, 0, code) + GUID_TAIL
    if "fmt-cut" in faults:
        fields = fields[: draw(st.integers(0, len(fields) - 1))]
    fmt_size = None
    if "fmt-size" in faults:
        fmt_size = draw(st.sampled_from([0, 2, 14, 15, 2**31, 2**32 - 1]))
    fmt = _chunk(b"fmt ", fields, fmt_size)

    # Mostly short answers (fast to decode), some at the edge of "too short".
    rate_ok = MIN_RATE <= rate <= MAX_RATE
    frames = draw(
        st.integers(math.ceil(MIN_SECONDS * rate), 4000)
        if sound_only
        else st.one_of(
            st.sampled_from([0, 1, 2]),
            st.integers(0, 4000),
            st.integers(800, 4000),
            st.just(round(MIN_SECONDS * rate) if rate_ok else 0),
        )
    )
    step = max(block, 1)
    frames = min(frames, 200_000 // step)  # 65535 channels must not mean 200 MB per example
    seed = draw(st.binary(min_size=1, max_size=64))
    payload = (seed * (frames * step // len(seed) + 1))[: frames * step]
    if code == FLOAT and bits in (32, 64) and draw(st.booleans()):  # NaN, infinity, overs
        big = 1e300 if bits == 64 else 3e38  # far beyond float32, or at its very edge
        specials = np.array([np.nan, np.inf, -np.inf, 3.0, -0.5, big], dtype=f"<f{bits // 8}")
        values = np.resize(specials, len(payload) // (bits // 8))
        payload = values.tobytes().ljust(len(payload), b"\x00")
    data_size = None
    if "data-streamed" in faults:
        data_size = draw(st.sampled_from([0, 0xFFFFFFFF]))
    if "data-huge" in faults:  # claims gigabytes: a copy cut short, or a lie
        data_size = draw(st.sampled_from([len(payload) * 50 + 1, 2**31, 0xFFFFFFF0]))
    if "data-short" in faults:
        data_size = len(payload) // 2
    data = _chunk(b"data", payload, data_size)

    extras = draw(
        st.lists(
            st.sampled_from(
                [
                    _chunk(b"LIST", b"INFOISFT\x05\x00\x00\x00odd!\x00"),
                    _chunk(b"fact", struct.pack("<I", frames)),
                    _chunk(b"junk", b"x" * 3),
                    _chunk(b"bext", b""),
                ]
            ),
            max_size=2,
        )
    )
    chunks = [fmt, *extras, data]
    if "data-first" in faults:
        chunks = [*extras, data, fmt]
    if "no-fmt" in faults:
        chunks = [*extras, data]
    if "no-data" in faults:
        chunks = [fmt, *extras]
    body = b"WAVE" + b"".join(chunks)
    magic = b"RIFF"
    if "magic" in faults:
        magic = draw(st.sampled_from([b"RIFX", b"RF64", b"riff", b"FORM", b"\x00" * 4]))
    riff_size = len(body)
    if "riff-size" in faults:
        riff_size = draw(st.sampled_from([0, 4, 0xFFFFFFFF]))
    blob = magic + struct.pack("<I", riff_size) + body
    if "cut" in faults:  # a copy cut short anywhere, even inside the header
        blob = blob[: draw(st.integers(0, len(blob) - 1))]
    honest = not faults.intersection(BREAKAGES) and frames / rate >= MIN_SECONDS
    return OddWav(blob, frames if honest else None, rate)


def check_outcome(name: str, decode: Callable[[], Recording]) -> Recording | AudioFileError:
    """Either a clean recording or one sentence naming the file; anything else fails."""
    try:
        recording = decode()
    except AudioFileError as exc:
        assert_one_sentence_naming(str(exc), name)
        return exc
    samples = recording.samples
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert np.all(np.isfinite(samples)) and np.all(np.abs(samples) <= 1.0)
    assert MIN_RATE <= recording.rate <= MAX_RATE
    assert MIN_SECONDS <= recording.seconds <= MAX_SECONDS
    return recording


def assert_one_sentence_naming(message: str, name: str) -> None:
    """The file's whole name, then one line ending in one full stop."""
    assert name in message, message
    sentence = message.strip().replace(name, "FILE")
    assert "\n" not in sentence and sentence.endswith("."), message
    assert ". " not in sentence and "Traceback" not in sentence, message


def refused(data: bytes) -> bool:
    """Whether the reader refuses these bytes (the command line must then say why)."""
    try:
        decode_wav(data, NAME)
    except AudioFileError:
        return True
    return False


random_bytes = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda b: b"RIFF" + b[:4] + b"WAVE" + b[4:]),
    st.binary(max_size=300).map(lambda b: b"RIFF\x00\x00\x00\x00WAVEfmt " + b),
)
any_file = st.one_of(odd_wavs().map(lambda wav: wav.data), random_bytes)
sound_wavs = odd_wavs(sound_only=True).map(lambda wav: wav.data)
"""Valid but unusual files only, so the command-line tests also see sessions run."""
cli_files = st.one_of(sound_wavs, any_file)


# --- the reader, fast: many examples ---------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(odd_wavs())
def test_generated_wavs_decode_or_are_named(wav: OddWav) -> None:
    outcome = check_outcome(NAME, lambda: decode_wav(wav.data, NAME))
    event("refused" if isinstance(outcome, AudioFileError) else "decoded")
    if wav.frames is not None:
        assert isinstance(outcome, Recording), f"a valid WAV was refused: {outcome}"
        assert len(outcome.samples) == wav.frames and outcome.rate == wav.rate


@settings(max_examples=300, deadline=None)
@given(random_bytes)
def test_random_bytes_are_named(data: bytes) -> None:
    outcome = check_outcome(NAME, lambda: decode_wav(data, NAME))
    if not data.startswith(b"RIFF"):
        assert isinstance(outcome, AudioFileError)


@fixture_ok(150)
@given(any_file)
def test_generated_wavs_read_from_disk(tmp_path: Path, data: bytes) -> None:
    """From a real file (seeks past the end, short reads) the outcome is the same as in memory."""
    path = tmp_path / ODD_NAME
    path.write_bytes(data)
    outcome = check_outcome(ODD_NAME, lambda: read_wav(path))
    assert isinstance(outcome, AudioFileError) == refused(data)


@fixture_ok(150)
@given(st.lists(st.one_of(any_file, st.just(good_answer())), min_size=1, max_size=3))
def test_replay_folders_are_read_or_named(tmp_path: Path, files: list[bytes]) -> None:
    """All answers are read before a session starts; the first bad one (by name) is named."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        for number, data in enumerate(files, 1):
            (Path(folder) / f"{number:02d}.wav").write_bytes(data)
        bad = [f"{n:02d}.wav" for n, data in enumerate(files, 1) if refused(data)]
        try:
            source = ReplaySource.from_folder(Path(folder))
        except AudioFileError as exc:
            assert bad, f"a readable folder was refused: {exc}"
            assert_one_sentence_naming(str(exc), str(Path(folder) / bad[0]))
        else:
            assert not bad and source.remaining == len(files)


# --- the command line: fewer examples, the recognizer runs for every good file ---------


@fixture_ok(250)
@given(cli_files)
def test_transcribe_names_every_bad_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / ODD_NAME
    path.write_bytes(data)
    result = CliRunner().invoke(
        main, ["transcribe", "--data-dir", str(tmp_path / "data"), str(path)]
    )
    assert_no_traceback(result)
    event("refused" if refused(data) else "heard")
    if refused(data):
        assert result.exit_code == 1
        assert_one_sentence_naming(result.stderr, str(path))
        assert result.stdout == ""
    else:
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{path}: ") and result.stderr == ""


@fixture_ok(40)
@given(cli_files)
def test_a_replay_session_refuses_an_odd_answer(tmp_path: Path, data: bytes) -> None:
    """A bad answer stops the session before it starts; an odd but good one is heard."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
        answers, out = Path(scratch) / "answers", Path(scratch) / "out.wav"
        answers.mkdir()
        (answers / ODD_NAME).write_bytes(data)
        result = CliRunner().invoke(
            main,
            ["--session", "face", "--audio-in", str(answers), "--audio-out", str(out),
             "--data-dir", str(Path(scratch) / "data")],
        )  # fmt: skip
        assert_no_traceback(result)
        event("refused" if refused(data) else "session ran")
        if refused(data):
            assert result.exit_code != 0
            assert_one_sentence_naming(result.stderr, str(answers / ODD_NAME))
            assert not out.exists()
        else:
            assert result.exit_code == 0, result.output
            assert out.stat().st_size > 0


def assert_no_traceback(result: Result) -> None:
    """An escaped exception is what a person would see as a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output


# --- long, huge and unusual files: fixed examples -----------------------------------


def test_a_format_chunk_claiming_gigabytes_is_not_allocated(tmp_path: Path) -> None:
    """A damaged size field must not make the reader ask for 4 GB (a MemoryError on a Pi)."""
    fields = struct.pack("<HHIIHH", PCM, 1, 16000, 32000, 2, 16)
    body = b"WAVE" + _chunk(b"fmt ", fields, 0xFFFFFFF0) + _chunk(b"data", noise(8000))
    path = tmp_path / ODD_NAME
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    tracemalloc.start()
    try:
        with pytest.raises(AudioFileError) as caught:
            read_wav(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_one_sentence_naming(str(caught.value), str(path))
    assert peak < 1_000_000, f"{peak / 1e6:.0f} MB at the peak"


LONG_MINUTES = 4
"""Longer than any answer, shorter than the five minutes the reader accepts."""


@pytest.fixture(scope="module")
def long_answer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four minutes of stereo 48 kHz: 46 MB on disk, as a forgotten phone recording."""
    path = tmp_path_factory.mktemp("long") / "forgot-to-stop.wav"
    second = noise(48000, 2)
    path.write_bytes(make_wav(second * 60 * LONG_MINUTES, channels=2, rate=48000))
    return path


def test_a_long_file_is_read_without_copies_of_it(long_answer: Path) -> None:
    """Decoded piece by piece: the mono result is all that is held, not the bytes as well."""
    tracemalloc.start()
    try:
        recording = read_wav(long_answer)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert recording.seconds == pytest.approx(LONG_MINUTES * 60)
    assert peak < recording.samples.nbytes + 8_000_000, f"{peak / 1e6:.0f} MB at the peak"


def test_a_long_file_is_heard_only_up_to_one_answer(long_answer: Path, tmp_path: Path) -> None:
    """The listener stops at its longest utterance, so minutes of audio take a moment."""
    started = time.monotonic()
    heard = CliRunner().invoke(
        main, ["transcribe", "--data-dir", str(tmp_path / "data"), str(long_answer)]
    )
    assert_no_traceback(heard)
    assert heard.exit_code == 0 and heard.stdout.startswith(f"{long_answer}: ")
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "01.wav").symlink_to(long_answer)
    session = CliRunner().invoke(
        main,
        ["--session", "face", "--audio-in", str(answers), "--audio-out",
         str(tmp_path / "out.wav"), "--data-dir", str(tmp_path / "data")],
    )  # fmt: skip
    assert_no_traceback(session)
    assert session.exit_code == 0, session.output
    assert time.monotonic() - started < 30


#: Files a person really sends, that must be refused with the reason in the sentence.
REFUSED = {
    "empty": (b"", "is empty"),
    "zero-hz": (make_wav(noise(8000), rate=0), "0 Hz"),
    "one-sample": (make_wav(noise(1)), "too short"),
    "no-samples": (make_wav(b""), "holds no sound"),
    "six-minutes": (make_wav(b"\x80" * 8000 * 360, rate=8000, bits=8), "too long"),
    "96-khz": (make_wav(noise(9600), rate=96000), "96000 Hz"),
    "absurd-rate": (make_wav(noise(9600), rate=2**32 - 1), "4294967295 Hz"),
    "mp3": (b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00" * 20, "not a WAV file"),
    "adpcm": (make_wav(noise(4000), code=2, bits=4), "unsupported encoding"),
    "float-16": (make_wav(noise(4000), code=FLOAT, bits=16, extensible=True), "float, 16-bit"),
    "big-endian": (make_wav(noise(4000), magic=b"RIFX"), "big-endian"),
    "rf64": (make_wav(noise(4000), magic=b"RF64"), "RF64"),
    "zero-channels": (make_wav(noise(4000), channels=0), "0 channels"),
    "cut-in-header": (good_answer()[:30], "cut short"),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_each_kind_of_bad_file_is_one_sentence_and_exit_1(tmp_path: Path, kind: str) -> None:
    content, reason = REFUSED[kind]
    path = tmp_path / ODD_NAME
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["transcribe", "--data-dir", str(tmp_path / "d"), str(path)])
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert_one_sentence_naming(result.stderr, str(path))
    assert reason in result.stderr


#: Unusual but sound files, all accepted and heard.
ACCEPTED = {
    "stereo-48k": good_answer(),
    "six-channel-24-bit": make_wav(noise(8000, 6, "<i4")[: 8000 * 6 * 3], channels=6, bits=24),
    "float-extensible": make_wav(
        noise(8000, 2, "<f4"), code=FLOAT, channels=2, bits=32, extensible=True
    ),
    "float-64": make_wav(noise(8000, 1, "<f8"), code=FLOAT, bits=64),
    "8-bit-8k": make_wav(noise(4000, 1, "|u1"), rate=8000, bits=8),
    "32-bit-44k": make_wav(noise(22050, 1, "<i4"), rate=44100, bits=32),
    "claims-gigabytes": make_wav(noise(8000), data_size=0xFFFFFFF0),
    "streamed": make_wav(noise(8000), data_size=0),
}


@pytest.mark.parametrize("kind", ACCEPTED)
def test_unusual_but_sound_files_are_heard(tmp_path: Path, kind: str) -> None:
    path = tmp_path / ODD_NAME
    path.write_bytes(ACCEPTED[kind])
    result = CliRunner().invoke(main, ["transcribe", "--data-dir", str(tmp_path / "d"), str(path)])
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: ")
