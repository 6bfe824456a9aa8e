#!/usr/bin/env python3
"""Latency and memory of the listening path: start-up, end of speech to reply, peak memory.

Measures, on this machine:

* start-up: from launching ``voice-haven --session face --text --no-wait`` to its
  first caption on stdout (median of several runs);
* end of speech to reply: for real recorded answers (fsdd digits, gsc yes/no/stop)
  replayed through ``AudioListener`` exactly as in a session, the wall time of the
  final decode after the endpoint fires; the endpointer's own wait (0.6 s of
  silence, a design choice, not a cost) is reported beside it. Also the real-time
  factor of the whole turn (resampling + endpointing + streaming decode);
* peak memory: maximum resident set size of a whole replayed session
  (``--audio-in`` / ``--audio-out``) with the chosen recognizer, from ``wait4``.

Prints one JSON object, then a short table. Targets (issue 5): start-up <= 1.5 s,
decode after the endpoint <= 300 ms, peak memory <= 150 MB with PocketSphinx.

    .venv/bin/python scripts/bench_latency.py [--recognizer sphinx] [--clips 60] [--enrolled]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))


def console_script() -> str:
    beside = Path(sys.executable).with_name("voice-haven")
    found = str(beside) if beside.exists() else shutil.which("voice-haven")
    if not found:
        sys.exit("voice-haven is not installed: run scripts/setup first.")
    return found


def clean_env() -> dict[str, str]:
    """No model from the caller's environment: the recognizer is chosen by --recognizer."""
    return {k: v for k, v in os.environ.items() if k != "VOICE_HAVEN_MODEL"}


def startup(runs: int) -> dict[str, float]:
    """Seconds from process launch to the first caption of a typed session."""
    times = []
    with tempfile.TemporaryDirectory() as data:
        for _ in range(runs):
            started = time.perf_counter()
            process = subprocess.Popen(
                [console_script(), "--session", "face", "--text", "--no-wait", "--data-dir", data],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=clean_env(),
            )
            assert process.stdout is not None
            process.stdout.readline()
            times.append(time.perf_counter() - started)
            process.kill()
            process.wait()
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": runs}


def answer_clips(count: int) -> list[Path]:
    """Spoken digits from every fsdd speaker and gsc yes/no/stop, spread evenly."""
    fsdd, gsc = CORPORA / "fsdd-dev", CORPORA / "gsc-dev"
    for folder in (fsdd, gsc):
        if not folder.is_dir():
            sys.exit(f"The corpus {folder} is missing: the benchmark needs ../shared/corpora.")
    digits = sorted(fsdd.glob("*.wav"))
    commands = sorted(p for p in gsc.glob("*.wav") if p.name.split("_")[0] in ("yes", "no", "stop"))
    n_digits = count * 2 // 3
    pick = digits[:: max(1, len(digits) // n_digits)][:n_digits]
    pick += commands[:: max(1, len(commands) // (count - n_digits))][: count - n_digits]
    return pick


def enroll_into(data_dir: Path) -> None:
    """An enrollment (``voice.npz``) from fsdd's jackson, takes 0 and 1 of each digit."""
    from voice_haven.audio.embedding import speech_embedding
    from voice_haven.audio.resample import StreamResampler
    from voice_haven.audio.span import RATE
    from voice_haven.audio.wavfile import read_wav
    from voice_haven.recognition.templates import VoiceTemplates

    takes = {}
    for digit in range(10):
        recordings = [read_wav(CORPORA / "fsdd-dev" / f"{digit}_jackson_{k}.wav") for k in (0, 1)]
        takes[digit] = tuple(
            speech_embedding(StreamResampler(r.rate, RATE).process(r.samples)) for r in recordings
        )
    VoiceTemplates(takes).save(data_dir)


def reply_latency(
    recognizer_name: str, model: Path | None, count: int, enrolled: bool
) -> dict[str, object]:
    """Decode time after the endpoint fires, through the real listener with replayed answers."""
    from voice_haven.audio.endpoint import EndpointSettings
    from voice_haven.audio.listener import AudioListener
    from voice_haven.audio.sources import ReplaySource
    from voice_haven.audio.wavfile import read_wav
    from voice_haven.clock import VirtualClock
    from voice_haven.recognition.select import choose
    from voice_haven.vocabulary import Expect

    with tempfile.TemporaryDirectory() as data:
        if enrolled:
            enroll_into(Path(data))
        started = time.perf_counter()
        choice = choose(recognizer_name, model, Path(data))
        load_s = time.perf_counter() - started
    decode_ms: list[float] = []
    turn_wall = audio_s = 0.0
    for clip in answer_clips(count):
        recording = read_wav(clip)
        expect = Expect.RATING if clip.parent.name == "fsdd-dev" else Expect.YES_NO
        clock = VirtualClock()
        listener = AudioListener(ReplaySource([recording]), choice.recognizer, clock)
        started = time.perf_counter()
        listener.listen(expect, 10.0)
        turn_wall += time.perf_counter() - started
        audio_s += clock.elapsed
        decode_ms.append(listener.last_decode_seconds * 1000)
    decode_ms.sort()
    return {
        "recognizer": choice.description,
        "load_s": load_s,
        "clips": len(decode_ms),
        "decode_after_endpoint_ms": {
            "median": statistics.median(decode_ms),
            "p95": decode_ms[min(len(decode_ms) - 1, round(0.95 * len(decode_ms)))],
            "max": decode_ms[-1],
        },
        "endpoint_silence_ms": EndpointSettings().end_silence * 1000,
        "turn_rtf": turn_wall / audio_s,
    }


def session_memory(recognizer_name: str, model: Path | None, enrolled: bool) -> dict[str, object]:
    """Peak RSS of a whole replayed face session (answers 7, yes, 4, yes, 1, yes)."""
    fsdd, gsc = CORPORA / "fsdd-dev", CORPORA / "gsc-dev"
    yes = sorted(gsc.glob("yes_*.wav"))[0]
    answers = [fsdd / "7_jackson_0.wav", yes, fsdd / "4_jackson_0.wav", yes]
    answers += [fsdd / "1_jackson_0.wav", yes]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "answers"
        folder.mkdir()
        for number, clip in enumerate(answers, 1):
            shutil.copy(clip, folder / f"{number:02d}.wav")
        if enrolled:
            enroll_into(Path(tmp) / "d")
        command = [
            console_script(), "--session", "face", "--recognizer", recognizer_name,
            "--audio-in", str(folder), "--audio-out", f"{tmp}/out.wav", "--data-dir", f"{tmp}/d",
        ]  # fmt: skip
        if model is not None:
            command += ["--model", str(model)]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env()
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = process.stderr.read().decode() if process.stderr else ""
    return {
        "exit_code": process.returncode,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "wall_s": wall,
        "stderr_tail": errors.strip().splitlines()[-1:] if process.returncode else [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recognizer", default="sphinx", choices=["sphinx", "vosk", "auto"])
    parser.add_argument("--model", type=Path, help="Vosk model folder (with --recognizer vosk).")
    parser.add_argument("--clips", type=int, default=60, help="Answers to time (default 60).")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument(
        "--enrolled", action="store_true", help="Time the path tuned by a voice enrollment."
    )
    args = parser.parse_args()

    result = {
        "machine": {
            "platform": platform.platform(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "startup_to_first_caption": startup(args.startup_runs),
        "enrolled": args.enrolled,
        "end_of_speech_to_reply": reply_latency(
            args.recognizer, args.model, args.clips, args.enrolled
        ),
        "replayed_session": session_memory(args.recognizer, args.model, args.enrolled),
    }
    print(json.dumps(result, indent=2))
    reply = result["end_of_speech_to_reply"]
    decode = reply["decode_after_endpoint_ms"]  # type: ignore[index]
    rows = [
        ("start-up to first caption", f"{result['startup_to_first_caption']['median_s']:.2f} s",
         "<= 1.5 s"),
        ("decode after endpoint (median)", f"{decode['median']:.1f} ms", "<= 300 ms"),
        ("decode after endpoint (p95 / max)", f"{decode['p95']:.1f} / {decode['max']:.1f} ms",
         "<= 300 ms"),
        ("endpoint silence (by design)", f"{reply['endpoint_silence_ms']:.0f} ms", ""),
        ("turn real-time factor", f"{reply['turn_rtf']:.3f}", "<= 0.05"),
        ("replayed session peak memory", f"{result['replayed_session']['peak_rss_mb']:.0f} MB",
         "<= 150 MB"),
    ]  # fmt: skip
    print(f"\n{reply['recognizer']} on {platform.machine()} ({os.cpu_count()} CPUs)")
    for name, value, target in rows:
        print(f"  {name:<36} {value:>16}  {target}")


if __name__ == "__main__":
    main()
