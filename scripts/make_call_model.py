"""Train the call model: whether some stretch of an utterance is a call for help.

PocketSphinx hears nothing at all in some calls for help (7% of the
synthetic set's: "suicide", "help me" and "i need help right now" from
several espeak-ng voices, in noise or at 8 kHz), and a whole call for help
in some everyday sentences. The call model (``recognition.call_check``) is
a second listener for both: a softmax regression, like the word models
(``recognition.word_model``), over one ``STEPS``-step stretch of the speech
embedding (1.4 s), one class per safety phrase and a last one for "none of
these". It is run on every stretch of an utterance, a step apart, so a
phrase is found wherever it lies in a sentence.

It learns from the English voices of ``make_word_models.py`` (none of the
synthetic benchmark's): each says every safety phrase alone (the middle
stretch, and one a step either side, are that phrase), and in sentences of
their own that end in it (``CARRIERS``: the last stretches are the
phrase); and, as "none of these", everyday sentences
(``call_model_negatives.txt``, none of the benchmark's), each stretch
of them, and short answers and words (every command phrase, "help" and
"what can i say" among them, and some of the framed ratings and the word
models' other words). Each take is varied as
``make_word_models.vary`` varies it. About 20 minutes on two cores; the
takes are cached beside the word models' (``--retrain`` reuses them).

    .venv/bin/python scripts/make_call_model.py [--jobs 2] [--retrain]
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_synthetic import Voice, synthesize
from make_word_models import (
    COMMAND_PHRASES,
    RATING_PHRASES,
    ROOT,
    TAKES,
    other_words,
    train,
    vary,
    voices,
)

from voice_haven.audio.embedding import speech_embedding
from voice_haven.audio.resample import resample
from voice_haven.audio.span import RATE
from voice_haven.recognition.word_model import CALL_MODEL, STEPS, stretches
from voice_haven.vocabulary import SAFETY_PHRASES

NEGATIVES_FILE = Path(__file__).with_name("call_model_negatives.txt")
CACHE = TAKES / "call_model_takes.npz"
SEED = 23

CARRIERS: dict[str, tuple[str, ...]] = {
    "i want to die": ("i just want to die", "some nights i want to die"),
    "i want to kill myself": ("i feel like i want to kill myself",),
    "kill myself": ("i could kill myself", "i am going to kill myself"),
    "suicide": ("i have been thinking of suicide", "i am thinking about suicide"),
    "i need help": ("i really need help", "please i need help"),
    "help me": ("please somebody help me", "can you help me"),
    "emergency": ("it is an emergency", "i have an emergency"),
}
"""Sentences of the voices' own ending in each safety phrase (not the benchmark's)."""

TAKES_PER_CALL = 4
"""Takes of each safety phrase alone per voice: the plain one and varied copies."""
SENTENCES_PER_VOICE = 60
"""Everyday sentences each voice says, drawn at random, each once, varied."""
STRETCHES_PER_SENTENCE = 6
"""Stretches of each everyday sentence kept as "none of these", drawn at random."""
SHORT_PER_VOICE = 24
"""Framed ratings and other words each voice says once, varied, besides every command phrase."""
SHIFTS = (-1, 0, 1)
"""Steps either side of a phrase's middle that are still that phrase."""


def negatives() -> list[str]:
    """The everyday sentences of ``NEGATIVES_FILE``."""
    lines = NEGATIVES_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def short_answers() -> list[str]:
    """What a person says at a rating turn, and other words: no call for help, said alone."""
    return sorted({*RATING_PHRASES, *other_words()} - set(COMMAND_PHRASES))


def middle(rows: np.ndarray, shift: int) -> np.ndarray | None:
    """The stretch ``shift`` steps from the middle one, if the utterance has it."""
    index = (len(rows) - 1) // 2 + shift
    return rows[index] if 0 <= index < len(rows) else None


def takes_of(job: tuple[int, Voice]) -> tuple[list[np.ndarray], list[str], str]:
    """One voice's stretches (``word_model.stretches``) and the phrase each is, or ""."""
    index, voice = job
    rng = np.random.default_rng([index, SEED])
    hibari = None
    if voice.engine == "hibari":
        from hibari import Hibari

        hibari = Hibari()
    inputs: list[np.ndarray] = []
    said: list[str] = []

    def embedded(text: str, varied: bool) -> np.ndarray:
        audio, rate = synthesize(voice, text, hibari)
        samples = vary(audio, rate, rng) if varied else resample(audio, rate, RATE)
        return stretches(speech_embedding(samples)).astype(np.float32)

    for phrase in SAFETY_PHRASES:
        for copy in range(TAKES_PER_CALL):
            rows = embedded(phrase, copy > 0)
            found = [middle(rows, shift) for shift in SHIFTS]
            inputs += [row for row in found if row is not None]
            said += [phrase] * sum(row is not None for row in found)
        for sentence in CARRIERS[phrase]:
            rows = embedded(sentence, True)
            inputs += list(rows[-2:])
            said += [phrase] * len(rows[-2:])
    for sentence in rng.choice(negatives(), SENTENCES_PER_VOICE, replace=False):
        rows = embedded(str(sentence), rng.random() < 0.8)
        kept = rng.choice(len(rows), min(len(rows), STRETCHES_PER_SENTENCE), replace=False)
        inputs += [rows[k] for k in kept]
        said += [""] * len(kept)
    shorts = [*COMMAND_PHRASES, *rng.choice(short_answers(), SHORT_PER_VOICE, replace=False)]
    for word in shorts:
        row = middle(embedded(str(word), True), 0)
        assert row is not None
        inputs.append(row)
        said.append("")
    return inputs, said, voice.name


def recipe() -> str:
    """What the takes are made of: a cache made otherwise is stale."""
    return repr((voices(), SAFETY_PHRASES, CARRIERS, negatives(), short_answers(), SEED,
                 TAKES_PER_CALL, SENTENCES_PER_VOICE, STRETCHES_PER_SENTENCE, SHORT_PER_VOICE,
                 SHIFTS, STEPS))  # fmt: skip


def synthesized(jobs: int) -> tuple[np.ndarray, np.ndarray]:
    """Every voice's stretches, synthesized on ``jobs`` cores, and kept in ``CACHE``."""
    inputs: list[np.ndarray] = []
    said: list[str] = []
    with ProcessPoolExecutor(jobs) as pool:
        for done, (x, words, name) in enumerate(pool.map(takes_of, enumerate(voices())), 1):
            inputs += x
            said += words
            print(f"{done:3} {name}: {len(inputs)} stretches", flush=True)
    TAKES.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(CACHE, inputs=np.stack(inputs), words=np.array(said),
                        recipe=np.array(recipe()))  # fmt: skip
    return np.stack(inputs), np.array(said)


def cached() -> tuple[np.ndarray, np.ndarray] | None:
    """The cached stretches, unless there are none or they were made another way."""
    if not CACHE.is_file():
        return None
    with np.load(CACHE) as saved:
        if str(saved["recipe"]) != recipe():
            print(f"{CACHE} was made from other voices or phrases: synthesizing again")
            return None
        return saved["inputs"], saved["words"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--retrain", action="store_true", help=f"reuse the takes cached in {TAKES}")
    args = parser.parse_args()
    inputs, said = (cached() if args.retrain else None) or synthesized(args.jobs)
    path = ROOT / "voice_haven" / "data" / CALL_MODEL
    train(SAFETY_PHRASES, inputs, said).save(path)
    path.chmod(0o644)
    print(f"{path}: trained on {len(said)} stretches, {int(np.sum(said != ''))} of calls for help")


if __name__ == "__main__":
    main()
