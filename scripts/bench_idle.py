#!/usr/bin/env python3
"""Idle CPU of ``voice-haven serve``: the cost of waiting for the wake phrase.

The service spends nearly all its life in wake-listening turns, so this is the
figure that decides whether a Pi runs warm all night. It measures the real
path: a ``MicrophoneSource`` at 48 kHz fed 20 ms blocks in real time from a
capture thread (as PortAudio's callback does; only the sound card is
replaced), resampling, the endpointer and the chosen recognizer, through one
``Expect.WAKE`` turn of ``--seconds`` seconds per room:

* quiet: a still bedroom, about -70 dBFS of hiss;
* fan: a steady fan or heater, about -45 dBFS;
* talk: the fan, plus a two-second burst of speech-like sound every ten
  seconds that is not the wake phrase (a radio in the next room), so the
  recognizer is started and has to reject it.

The figure is process CPU seconds (all threads, from ``time.process_time``)
per wall second, as ``top`` would show it (1.0 = one core busy). Prints one
JSON object, then a short table.

    .venv/bin/python scripts/bench_idle.py [--seconds 20] [--recognizer sphinx]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voice_haven.audio.listener import AudioListener  # noqa: E402
from voice_haven.audio.sources import BLOCK, MicrophoneSource  # noqa: E402
from voice_haven.clock import RealClock  # noqa: E402
from voice_haven.listening import load_recognizer  # noqa: E402
from voice_haven.options import RunOptions  # noqa: E402
from voice_haven.vocabulary import Expect  # noqa: E402

RATE = 48000
ROOMS = ("quiet", "fan", "talk")


def room(kind: str, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """The sound of a room of this kind, float32 at 48 kHz."""
    count = round(seconds * RATE)
    level = 10 ** ((-70 if kind == "quiet" else -45) / 20)
    audio = rng.standard_normal(count).astype(np.float32) * np.float32(level)
    if kind == "talk":
        t = np.arange(count) / RATE
        # Voiced bursts: a 140 Hz buzz with formant-like partials, two seconds in every ten.
        voiced = sum(np.sin(2 * np.pi * f * t) / (i + 1) for i, f in enumerate((140, 560, 1200)))
        syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)
        bursts = ((t % 10.0) < 2.0).astype(np.float32)
        audio += (0.05 * voiced * syllables * bursts).astype(np.float32)
    return audio


class RealTimeStream:
    """Delivers ``audio`` in ``BLOCK``-second blocks at the pace a microphone would."""

    def __init__(self, audio: np.ndarray, on_audio: Any, on_finished: Any) -> None:
        self.audio = audio
        self.on_audio = on_audio
        self.on_finished = on_finished
        self.active = False

    def start(self) -> None:
        self.active = True
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        block = round(RATE * BLOCK)
        started = time.monotonic()
        info = SimpleNamespace(currentTime=0.0, inputBufferAdcTime=0.0)
        for number, position in enumerate(range(0, len(self.audio) - block + 1, block)):
            if not self.active:
                return
            chunk = self.audio[position : position + block].reshape(-1, 1)
            self.on_audio(chunk, block, info, None)
            time.sleep(max(0.0, started + (number + 1) * BLOCK - time.monotonic()))

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active = False


def measure(kind: str, seconds: float, recognizer: Any) -> dict[str, float]:
    audio = room(kind, seconds + 1.0, np.random.default_rng(7))
    source = MicrophoneSource(RATE, lambda cb, done, _: RealTimeStream(audio, cb, done), kind)
    listener = AudioListener(source, recognizer, RealClock())
    cpu, started = time.process_time(), time.perf_counter()
    utterances, woke = 0, False
    # As the service does: a turn that heard something that was not the wake phrase
    # is followed at once by another.
    while (left := seconds - (time.perf_counter() - started)) > 0.05:
        heard = listener.listen(Expect.WAKE, left)
        utterances += heard.speech
        woke = woke or heard.understood
    cpu, wall = time.process_time() - cpu, time.perf_counter() - started
    listener.close()
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 3),
        "cpu_per_wall_second": round(cpu / wall, 4),
        "utterances_decoded": utterances,
        "woke": woke,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="Length of each wake turn.")
    parser.add_argument("--recognizer", default="sphinx", choices=["auto", "vosk", "sphinx"])
    args = parser.parse_args()
    choice = load_recognizer(RunOptions(recognizer=args.recognizer))
    rooms = {
        kind: measure(kind, args.seconds, choice.recognizer) for kind in ("quiet", "fan", "talk")
    }
    report = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "recognizer": choice.description,
        "microphone_rate": RATE,
        "rooms": rooms,
    }
    print(json.dumps(report, indent=2))
    print()
    print(f"{'room':<6} {'wall s':>7} {'cpu s':>7} {'cpu/s':>7} {'decoded':>8}  woke")
    for kind, row in rooms.items():
        print(
            f"{kind:<6} {row['wall_seconds']:>7.2f} {row['cpu_seconds']:>7.3f} "
            f"{row['cpu_per_wall_second']:>7.2%} {row['utterances_decoded']:>8}  {row['woke']}"
        )


if __name__ == "__main__":
    main()
