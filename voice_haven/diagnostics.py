"""``voice-haven check``: is every part of the bedside device ready?

Each probe tests one component for real (loads the recognizer's model,
renders a word, opens the microphone) and returns one finding: ``ok``, a
``note`` that does not stop the device working, or ``FAIL`` with what to do.
Probes are isolated from each other: one that crashes or hangs becomes a
FAIL line of its own and the others still run, so the person setting up a
Pi always gets the whole picture and never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .devices import AudioDevice, Kind, resolve_device
from .journal import open_journal
from .ports import DeviceUnavailable

OK = "ok"
NOTE = "note"
FAIL = "FAIL"

#: Below this much free space the journal and prompt cache may fail to write.
MIN_FREE_BYTES = 50 * 1024 * 1024
#: Below this, warn: the prompt cache and a Vosk model need room.
LOW_FREE_BYTES = 500 * 1024 * 1024
#: A probe that takes longer than this is reported as stuck.
PROBE_TIMEOUT = 20.0


@dataclass(frozen=True)
class Finding:
    component: str
    status: str
    detail: str

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    def line(self) -> str:
        return f"{self.component:<16}{self.status:<6}{self.detail}"

    def as_json(self) -> dict[str, str]:
        return {"component": self.component, "status": self.status, "detail": self.detail}


@dataclass(frozen=True)
class CheckOptions:
    """What ``check`` is asked to look at; the same choices a session would use."""

    data_dir: Path | None = None
    input_device: str | None = None
    output_device: str | None = None
    model: Path | None = None


Probe = Callable[[CheckOptions], list[Finding]]


def run_checks(
    options: CheckOptions, probes: list[tuple[str, Probe]] | None = None
) -> list[Finding]:
    """Run every probe, each isolated; a probe that fails to run becomes a FAIL finding."""
    findings: list[Finding] = []
    for component, probe in probes or PROBES:
        findings.extend(_isolated(component, probe, options))
    return findings


def _isolated(component: str, probe: Probe, options: CheckOptions) -> list[Finding]:
    """Run ``probe`` in a thread with a time limit, its chatter to stdout swallowed."""
    result: list[Finding] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.extend(probe(options))
        except Exception as exc:
            error.append(exc)

    with contextlib.redirect_stdout(io.StringIO()):
        worker = threading.Thread(target=target, name=f"check-{component}", daemon=True)
        worker.start()
        worker.join(PROBE_TIMEOUT)
    if worker.is_alive():
        return [Finding(component, FAIL, f"did not answer within {PROBE_TIMEOUT:.0f} s.")]
    if error:
        exc = error[0]
        reason = str(exc) or type(exc).__name__
        return [Finding(component, FAIL, f"could not be checked ({reason}).")]
    return result


# --- the probes ------------------------------------------------------------


def check_python(options: CheckOptions) -> list[Finding]:
    version = platform.python_version()
    where = f"Python {version} on {platform.machine() or 'unknown'}"
    return [Finding("python", OK, where)]


def check_recognizer(options: CheckOptions) -> list[Finding]:
    """PocketSphinx always ships its US English model; loading it proves the decoder works."""
    try:
        import pocketsphinx
    except ImportError:
        return [
            Finding(
                "recognizer",
                FAIL,
                "PocketSphinx is not installed; reinstall voice-haven (pip install voice-haven).",
            )
        ]
    model = Path(pocketsphinx.get_model_path()) / "en-us" / "en-us"
    if not (model / "mdef").exists():
        return [
            Finding(
                "recognizer",
                FAIL,
                f"the PocketSphinx model is missing from {model.parent}; reinstall pocketsphinx.",
            )
        ]
    pocketsphinx.Decoder(loglevel="FATAL")
    return [Finding("recognizer", OK, "PocketSphinx loads its US English model (in the package).")]


def check_vosk(options: CheckOptions) -> list[Finding]:
    """Vosk is the more accurate choice when an English model is installed; optional."""
    from .recognition import select

    try:
        import vosk  # noqa: F401
    except ImportError:
        return [
            Finding(
                "vosk model",
                NOTE,
                "Vosk is not installed, so PocketSphinx is used; pip install vosk to use it.",
            )
        ]
    base = paths.data_dir(options.data_dir)
    model = select.find_english_model(options.model, base)
    if model is None:
        return [
            Finding(
                "vosk model",
                NOTE,
                "no English Vosk model found, so PocketSphinx is used; for better accuracy "
                "install one with 'voice-haven model install FILE.zip' (see models/README.md).",
            )
        ]
    return [Finding("vosk model", OK, f"English model at {model}.")]


def _render_pyttsx3(text: str) -> int:
    """Render ``text`` to a WAV with pyttsx3 and return the file's size in bytes."""
    import pyttsx3

    with tempfile.TemporaryDirectory(prefix="voice-haven-check-") as folder:
        target = Path(folder) / "check.wav"
        engine = pyttsx3.init()
        engine.save_to_file(text, str(target))
        engine.runAndWait()
        return target.stat().st_size if target.exists() else 0


def check_speech(options: CheckOptions) -> list[Finding]:
    try:
        size = _render_pyttsx3("ready")
    except (ImportError, RuntimeError, OSError) as exc:
        return [
            Finding(
                "speech",
                FAIL,
                f"pyttsx3 cannot speak ({exc}); install espeak-ng: "
                "sudo apt-get install espeak-ng libespeak-ng1.",
            )
        ]
    if size <= 44:
        return [
            Finding(
                "speech",
                FAIL,
                "pyttsx3 produced no sound; install espeak-ng: "
                "sudo apt-get install espeak-ng libespeak-ng1.",
            )
        ]
    return [Finding("speech", OK, "pyttsx3 with espeak-ng can speak.")]


def check_natural_voice(options: CheckOptions) -> list[Finding]:
    """The natural voice is optional: the espeak-ng voice always remains."""
    try:
        from hibari import Hibari
        from hibari.voices import DEFAULT, voice_path
    except ImportError:
        return [
            Finding(
                "natural voice",
                NOTE,
                "not installed, so the espeak-ng voice is used; "
                "pip install 'voice-haven[natural]' for a natural voice.",
            )
        ]
    model = voice_path(DEFAULT, download_missing=False)
    audio = Hibari(voice=DEFAULT)("Ready.")
    if len(audio) == 0:
        return [Finding("natural voice", FAIL, "hibari produced no sound; reinstall hibari-tts.")]
    return [Finding("natural voice", OK, f"hibari '{DEFAULT}' speaks ({Path(model).name}).")]


def _open_stream(device: AudioDevice, kind: Kind) -> float:
    """Open the device for a moment; for a microphone return the peak level heard (0..1)."""
    import numpy as np
    import sounddevice as sd

    rate = int(device.sample_rate) or 48000
    if kind == "input":
        recording = sd.rec(int(rate * 0.3), samplerate=rate, channels=1, device=device.index)
        sd.wait()
        return float(np.max(np.abs(recording))) if recording.size else 0.0
    with sd.OutputStream(samplerate=rate, channels=1, device=device.index) as stream:
        stream.write(np.zeros((rate // 20, 1), dtype="float32"))
    return 0.0


def _check_device(kind: Kind, spec: str | None) -> list[Finding]:
    role = "microphone" if kind == "input" else "speaker"
    try:
        device = resolve_device(spec, kind)
    except DeviceUnavailable as exc:
        return [Finding(role, FAIL, str(exc))]
    label = f"{device.name} (number {device.index})"
    try:
        peak = _open_stream(device, kind)
    except Exception as exc:
        return [
            Finding(
                role,
                FAIL,
                f"{label} is listed but could not be opened ({exc}); if voice-haven serve is "
                "running it may be using it: sudo systemctl stop voice-haven, then check again.",
            )
        ]
    if kind == "input" and peak == 0.0:
        return [
            Finding(
                role,
                FAIL,
                f"{label} records only silence; unmute it and raise its capture level "
                "in alsamixer (F4 shows capture).",
            )
        ]
    return [Finding(role, OK, label)]


def check_microphone(options: CheckOptions) -> list[Finding]:
    return _check_device("input", options.input_device)


def check_speaker(options: CheckOptions) -> list[Finding]:
    return _check_device("output", options.output_device)


def check_data_dir(options: CheckOptions) -> list[Finding]:
    """The journal must be writable: a rating that cannot be saved is a rating lost."""
    folder = paths.data_dir(options.data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".check-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return [
            Finding(
                "data directory",
                FAIL,
                f"{folder} is not writable ({exc.strerror or exc}); make it yours "
                f"(sudo chown -R $USER {folder}) or choose another with --data-dir.",
            )
        ]
    journal = open_journal(folder)
    try:
        count = len(journal.sessions())
    finally:
        journal.close()
    noun = "session" if count == 1 else "sessions"
    return [Finding("data directory", OK, f"{folder} is writable; the journal has {count} {noun}.")]


def _existing_parent(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def check_disk(options: CheckOptions) -> list[Finding]:
    folder = _existing_parent(paths.data_dir(options.data_dir))
    free = shutil.disk_usage(folder).free
    amount = _size(free)
    if free < MIN_FREE_BYTES:
        return [
            Finding(
                "disk space",
                FAIL,
                f"only {amount} free on the disk holding {folder}; "
                "delete old files so ratings can be saved.",
            )
        ]
    if free < LOW_FREE_BYTES:
        return [Finding("disk space", NOTE, f"{amount} free; it is getting low.")]
    return [Finding("disk space", OK, f"{amount} free.")]


def _size(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    return f"{count / 1024**2:.0f} MB"


PROBES: list[tuple[str, Probe]] = [
    ("python", check_python),
    ("recognizer", check_recognizer),
    ("vosk model", check_vosk),
    ("speech", check_speech),
    ("natural voice", check_natural_voice),
    ("microphone", check_microphone),
    ("speaker", check_speaker),
    ("data directory", check_data_dir),
    ("disk space", check_disk),
]


def summary(findings: list[Finding]) -> str:
    failed = [f.component for f in findings if f.failed]
    if not failed:
        return "Everything voice-haven needs is ready."
    return f"{len(failed)} of {len(findings)} checks need attention: {', '.join(failed)}."
