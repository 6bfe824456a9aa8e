#!/usr/bin/env python3
"""Speech synthesis benchmark: speed per voice on one core, and start-up to first audio.

Measures, for each voice:

* x realtime: seconds of finished prompt audio per second of rendering, over
  the sentences of the shipped sessions, pinned to one CPU core (a Pi 4 core
  is roughly 4-6 times slower than a desktop core, so divide accordingly);
* per-sentence render time (median and 90th percentile): how long a person
  would wait for a sentence that is not in the cache;
* start-up to first audio in a fresh process, with an empty cache (cold)
  and after ``voice-haven prepare`` (warm): the time from starting Python
  to having the first sentence's samples ready to play.

Prints a short table, then the JSON. Usage:

    .venv/bin/python scripts/bench_tts.py [--voices en-us+f3,hibari-heart] [--sentences 40]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}

FIRST_AUDIO = """
import os, sys, time
os.sched_setaffinity(0, {{{core}}})
from pathlib import Path
from voice_haven.speech import choose_voice, prompt_cache
from voice_haven.speech.render import PromptRenderer
renderer = PromptRenderer(choose_voice({voice!r}, None), prompt_cache(Path({data!r})))
audio = renderer.prompt({text!r}, {rate})
print(time.time(), audio.size / renderer.sample_rate)
"""


def pin_to_one_core() -> int:
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def sentences(limit: int) -> list[str]:
    from voice_haven.settings import Settings
    from voice_haven.speech.texts import all_texts

    return all_texts(Settings(country="US"))[:limit]


def synthesis_speed(voice_name: str, texts: list[str], rate: int) -> dict[str, float]:
    """Render every sentence without a cache; the engine is loaded (and warmed) first."""
    from voice_haven.speech import choose_voice
    from voice_haven.speech.render import PromptRenderer

    renderer = PromptRenderer(choose_voice(voice_name, None), None)
    started = time.perf_counter()
    renderer.prompt("Warm up.", rate)
    load = time.perf_counter() - started
    audio_seconds = 0.0
    timings = []
    for text in texts:
        began = time.perf_counter()
        audio = renderer.prompt(text, rate)
        timings.append(time.perf_counter() - began)
        audio_seconds += audio.size / renderer.sample_rate
    busy = sum(timings)
    return {
        "load_s": round(load, 3),
        "audio_s": round(audio_seconds, 1),
        "render_s": round(busy, 2),
        "x_realtime": round(audio_seconds / busy, 1),
        "sentence_median_ms": round(statistics.median(timings) * 1000, 1),
        "sentence_p90_ms": round(statistics.quantiles(timings, n=10)[-1] * 1000, 1),
    }


def first_audio(voice_name: str, data_dir: Path, text: str, rate: int, core: int) -> float:
    """Seconds from launching a fresh Python to the first sentence's samples being ready."""
    code = FIRST_AUDIO.format(core=core, voice=voice_name, data=str(data_dir), text=text, rate=rate)
    began = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **ONE_THREAD},
    )
    return float(done.stdout.split()[0]) - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voices", default="en-us+f3,hibari-heart")
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--rate", type=int, default=140)
    parser.add_argument("--repeats", type=int, default=3, help="start-up runs per case")
    args = parser.parse_args()
    os.environ.update(ONE_THREAD)
    core = pin_to_one_core()
    texts = sentences(args.sentences)
    first = texts[0]
    results = []
    for voice_name in args.voices.split(","):
        row: dict[str, object] = {"voice": voice_name, "rate": args.rate}
        row.update(synthesis_speed(voice_name, texts, args.rate))
        cold, warm = [], []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as folder:
                # The cold run fills the cache with the first sentence; the warm run finds it.
                cold.append(first_audio(voice_name, Path(folder), first, args.rate, core))
                warm.append(first_audio(voice_name, Path(folder), first, args.rate, core))
        row["first_audio_cold_s"] = round(statistics.median(cold), 3)
        row["first_audio_warm_s"] = round(statistics.median(warm), 3)
        results.append(row)
    report = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "cores_used": 1,
        "sentences": len(texts),
        "results": results,
    }
    header = (
        f"{'voice':<14} {'x realtime':>10} {'median ms':>10} {'p90 ms':>8} "
        f"{'load s':>7} {'cold s':>7} {'warm s':>7}"
    )
    print(header)
    for r in results:
        print(
            f"{r['voice']:<14} {r['x_realtime']:>10} {r['sentence_median_ms']:>10} "
            f"{r['sentence_p90_ms']:>8} {r['load_s']:>7} {r['first_audio_cold_s']:>7} "
            f"{r['first_audio_warm_s']:>7}"
        )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
