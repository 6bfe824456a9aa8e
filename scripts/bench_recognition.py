#!/usr/bin/env python3
"""Recognition accuracy and rejection on real and synthetic voices, with a baseline.

Every clip goes through the path a replayed session uses (``hear_recording``:
resampling, endpointing, the recognizer with the turn's grammar), so the
figures are the device's, not a lab set-up's. Sets:

* fsdd-dev: human digits, 8 kHz, at a rating turn; accuracy per speaker;
* gsc-dev: human "yes", "no", "stop" at a yes/no turn (right per word), and
  other words and noise that must come back as nothing heard (rejection);
* synthetic (``scripts/make_synthetic.py``; skipped with a note when absent):
  ratings and commands per voice, SNR and sample rate, everyday sentences
  (rejection), crisis phrases (detection; never taken for an answer);
* fsdd-dev again, with an enrolled voice, and learning the ratings each
  speaker confirms (``recognition.voice_memory``), first and second half.

"Wrong" (a different answer taken) is counted apart from "missed" (nothing
heard): the engine asks again after a miss, but cannot undo a wrong rating.
"Asked" counts the ratings the session would check with "I heard seven, is
that right?" (a doubtful rating, or a guess at a missed one; see
``recognition.second_opinion``), and how many of those proposals were right:
a right one is confirmed with a "yes", a wrong one is met with "no" and
the question again. A doubtful call for help is counted as asked too: the
session asks "Are you asking for help?", and only a "no" carries on; so is
a doubtful "stop" ("Did you say stop?", and again only a "no" carries on).

The baseline is PocketSphinx with a plain closed JSGF grammar of the same
answers, default settings and no front end, run on the same clips in the
same run. RTF is the CPU time of the whole listening path (resampling,
endpointing, decoding) over the audio it works through, on one core.

    .venv/bin/python scripts/bench_recognition.py [--limit N] [--synthetic DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
SYNTHETIC = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "voice-haven"
sys.path.insert(0, str(ROOT))

from voice_haven.audio.embedding import speech_embedding  # noqa: E402
from voice_haven.audio.listener import hear_recording  # noqa: E402
from voice_haven.audio.resample import StreamResampler  # noqa: E402
from voice_haven.audio.wavfile import Recording, read_wav  # noqa: E402
from voice_haven.engine import EngineSettings  # noqa: E402
from voice_haven.listening import KeepingRecognizer  # noqa: E402
from voice_haven.recognition.base import Recognizer  # noqa: E402
from voice_haven.recognition.enrolled import EnrolledRecognizer  # noqa: E402
from voice_haven.recognition.framed_number import FramedNumber  # noqa: E402
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer, load_bank  # noqa: E402
from voice_haven.recognition.select import with_last_listens  # noqa: E402
from voice_haven.recognition.sphinx import SphinxRecognizer  # noqa: E402
from voice_haven.recognition.templates import VoiceTemplates  # noqa: E402
from voice_haven.recognition.voice_memory import VoiceMemory  # noqa: E402
from voice_haven.recognition.word_model import (  # noqa: E402
    NUMBER_MODEL,
    RATING_MODEL,
    load_word_model,
)
from voice_haven.vocabulary import NUMBER_WORDS, Expect, Hearing, interpret, phrases_for  # noqa: E402

LEAD = 0.5
ENDPOINT = 0.6
LEARNING_SEED = 0
"""The order each speaker's answers come in when learning (``run_learning``)."""


@dataclass
class Tally:
    """Outcomes of clips that share a label (a speaker, a word, a voice...)."""

    right: int = 0
    wrong: int = 0
    missed: int = 0
    asked_right: int = 0
    asked_wrong: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.missed + self.asked_right + self.asked_wrong

    def as_json(self) -> dict[str, float | int]:
        share = 1.0 / self.total if self.total else 0.0
        return {
            "n": self.total,
            "right": self.right,
            "wrong": self.wrong,
            "missed": self.missed,
            "asked_right": self.asked_right,
            "asked_wrong": self.asked_wrong,
            "accuracy": round(self.right * share, 4),
            "right_after_asking": round((self.right + self.asked_right) * share, 4),
        }


@dataclass
class Table:
    """Tallies by group, e.g. fsdd by speaker."""

    groups: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def add(self, group: str, outcome: str) -> None:
        self.groups[group].add(outcome)
        self.groups["all"].add(outcome)

    def as_json(self) -> dict[str, dict[str, float | int]]:
        return {name: tally.as_json() for name, tally in sorted(self.groups.items())}


class Baseline:
    """PocketSphinx as it comes: closed JSGF grammar, default settings, no front end."""

    def __init__(self) -> None:
        import pocketsphinx
        from pocketsphinx import Config, Decoder

        model = Path(pocketsphinx.get_model_path()) / "en-us"
        self.decoder = Decoder(
            Config(
                hmm=str(model / "en-us"),
                dict=str(model / "cmudict-en-us.dict"),
                lm=None,
                loglevel="FATAL",
            )
        )
        for expect in (Expect.RATING, Expect.YES_NO, Expect.COMMAND):
            words = [p for p in phrases_for(expect) if "'" not in p]
            rule = " | ".join(f"( {p} )" for p in words)
            self.decoder.add_jsgf_string(
                expect.value, f"#JSGF V1.0;\ngrammar g;\npublic <s> = {rule} ;\n"
            )

    def hear(self, recording: Recording, expect: Expect) -> Hearing:
        audio = StreamResampler(recording.rate, 16000).process(recording.samples)
        pad = np.zeros(4800, dtype=np.float32)
        pcm = np.clip(np.concatenate([pad, audio, pad]) * 32767, -32768, 32767).astype(np.int16)
        self.decoder.activate_search(expect.value)
        self.decoder.start_utt()
        self.decoder.process_raw(pcm.tobytes(), False, True)
        self.decoder.end_utt()
        hypothesis = self.decoder.hyp()
        return interpret(hypothesis.hypstr if hypothesis else "", expect)


def outcome(
    heard: Hearing, intent: str | None, value: object, asks: EngineSettings | None = None
) -> str:
    """right, wrong, missed, asked_right or asked_wrong (see the module's docstring).

    With ``asks`` (the engine's thresholds), what the session would ask
    about is counted as asked: a doubtful rating, a guess at a missed one
    or at a command that sounds like a number, a doubtful call for help
    ("Are you asking for help?") and a doubtful "stop" ("Did you say
    stop?"). For clips that must be rejected, anything taken is wrong and
    a question is ``asked_wrong``.

    Every safety phrase brings the same care, so a call for help is right
    when any safety phrase is found in it ("i need kill myself" for "i need
    help right now" still brings the crisis line); wrong is a rating or a
    command taken for it.
    """
    found = heard.intent.value if heard.intent else None
    doubtful = asks is not None and found == "rating" and heard.confidence < asks.confirm_below
    guessing = found in (None, "command") and heard.guess is not None
    if doubtful or (asks is not None and guessing):
        proposed = heard.value if doubtful else heard.guess
        return "asked_right" if (intent, value) == ("rating", proposed) else "asked_wrong"
    if asks is not None and found == "safety" and heard.confidence < asks.confirm_help_below:
        return "asked_right" if intent == "safety" else "asked_wrong"
    if asks is not None and heard.is_command("stop") and heard.confidence < asks.confirm_stop_below:
        return "asked_right" if (intent, value) == ("command", "stop") else "asked_wrong"
    if intent is None:
        return "right" if found is None else "wrong"
    if found is None:
        return "missed"
    if intent == "safety":
        return "right" if found == "safety" else "wrong"
    return "right" if (found, heard.value) == (intent, value) else "wrong"


class Bench:
    def __init__(self, baseline: bool) -> None:
        sphinx = SphinxRecognizer()
        self.sphinx = with_last_listens(sphinx)[0]
        number_model = load_word_model(NUMBER_MODEL)
        self.recognizer = SecondOpinionRecognizer(
            self.sphinx,
            bank=load_bank(),
            model=number_model,
            rating_model=load_word_model(RATING_MODEL),
            framed=FramedNumber(sphinx, number_model, sphinx.sample_rate),
        )
        self.baseline = Baseline() if baseline else None
        self.tables: dict[str, Table] = defaultdict(Table)
        self.audio_seconds: dict[str, float] = defaultdict(float)
        self.cpu_seconds: dict[str, float] = defaultdict(float)
        self.rating_answers = 0
        self.rating_questions = 0
        self.asks = EngineSettings()

    def rtf(self, timing: str) -> float:
        return round(self.cpu_seconds[timing] / max(self.audio_seconds[timing], 1e-9), 4)

    def clip(self, path: Path, expect: Expect, intent: str | None, value: object,
             groups: list[str], enrolled: Recognizer | None = None,
             timing: str = "enrolled") -> str:  # fmt: skip
        """Hear one clip and count its outcome, which it returns.

        With ``enrolled`` (or another recognizer of the person's), through
        that recognizer, timed as ``timing``, and without a baseline.
        """
        recording = read_wav(path)
        started = time.process_time()
        heard = hear_recording(enrolled or self.recognizer, recording, expect)
        timing = timing if enrolled else "plain"
        self.cpu_seconds[timing] += time.process_time() - started
        # What the listener works through: the replay lead-in, the answer, and
        # the endpointer's 0.6 s of silence after it.
        self.audio_seconds[timing] += LEAD + len(recording.samples) / recording.rate + ENDPOINT
        result = outcome(heard, intent, value, self.asks)
        for group in groups:
            self.tables[group.split("/", 1)[0]].add(group.split("/", 1)[1], result)
        if intent == "rating" and timing != "learning":
            self.rating_answers += 1
            self.rating_questions += result.startswith("asked")
        if self.baseline is not None and enrolled is None:
            base = outcome(self.baseline.hear(recording, expect), intent, value)
            for group in groups:
                self.tables["baseline " + group.split("/", 1)[0]].add(group.split("/", 1)[1], base)
        return result


def run_fsdd(bench: Bench, folder: Path, limit: int | None) -> None:
    for path in sorted(folder.glob("*.wav"))[:limit]:
        digit, speaker, _ = path.stem.split("_")
        bench.clip(path, Expect.RATING, "rating", int(digit), [f"fsdd ratings/{speaker}"])


def run_gsc(bench: Bench, folder: Path, limit: int | None) -> None:
    with open(folder / "labels.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[:limit]
    for row in rows:
        word = row["file"].split("_")[0]
        if row["kind"] == "command":
            groups = [f"gsc commands/{word}"]
            bench.clip(folder / row["file"], Expect.YES_NO, "command", row["expected"], groups)
        else:
            kind = "noise" if word == "silence" else "other words"
            for expect in (Expect.YES_NO, Expect.RATING):
                groups = [f"gsc rejection/{kind} at {expect.value}"]
                bench.clip(folder / row["file"], expect, None, None, groups)


def enrolled_voice(bench: Bench, takes: list[Path], numbers: list[int]) -> EnrolledRecognizer:
    """The bench's recognizer tuned with these WAV takes, captured as ``enroll`` captures."""
    keeping = KeepingRecognizer(bench.sphinx)
    learned: dict[int, list[np.ndarray]] = defaultdict(list)
    for path, number in zip(takes, numbers, strict=True):
        hear_recording(keeping, read_wav(path), Expect.RATING)
        learned[number].append(speech_embedding(keeping.samples()))
    templates = VoiceTemplates({n: tuple(t) for n, t in learned.items()})
    return EnrolledRecognizer(bench.sphinx, templates, rating_model=bench.recognizer.rating_model)


def gsc_rejects(gsc: Path) -> list[dict[str, str]]:
    """gsc-dev's other words and noise: the rows that must come back as nothing heard."""
    with open(gsc / "labels.tsv", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle, delimiter="\t") if r["kind"] != "command"]


def hear_rejects(bench: Bench, gsc: Path, rejects: list[dict[str, str]], table: str,
                 recognizer: Recognizer, timing: str) -> None:  # fmt: skip
    """gsc-dev's other words and noise at a rating turn, through the person's recognizer."""
    for row in rejects:
        kind = "noise" if row["file"].startswith("silence") else "other words"
        groups = [f"{table}/{kind} at rating"]
        bench.clip(gsc / row["file"], Expect.RATING, None, None, groups, recognizer, timing)


def run_enrolled(bench: Bench, fsdd: Path, gsc: Path, takes: int, limit: int | None) -> None:
    """Each fsdd speaker enrolls with their first ``takes`` takes of each digit.

    Their other clips are then heard through that enrollment, and so are
    gsc-dev's other words and noise, which must still come back as nothing.
    (fsdd has no "ten", so ten is not enrolled here.)
    """
    rejects = gsc_rejects(gsc)
    for speaker in sorted({p.stem.split("_")[1] for p in fsdd.glob("*_*_*.wav")}):
        clips = sorted(fsdd.glob(f"*_{speaker}_*.wav"))
        enrolling = [p for p in clips if int(p.stem.split("_")[2]) < takes]
        numbers = [int(p.stem.split("_")[0]) for p in enrolling]
        enrolled = enrolled_voice(bench, enrolling, numbers)
        tested = [p for p in clips if int(p.stem.split("_")[2]) >= takes][:limit]
        for path in tested:
            digit = int(path.stem.split("_")[0])
            groups = [f"fsdd enrolled ratings/{speaker}"]
            bench.clip(path, Expect.RATING, "rating", digit, groups, enrolled)
        hear_rejects(bench, gsc, rejects[:limit], "gsc enrolled rejection", enrolled, "enrolled")


def run_learning(bench: Bench, fsdd: Path, gsc: Path, limit: int | None) -> None:
    """Each fsdd speaker's answers in a shuffled order, learning every rating confirmed.

    As in a session (``recognition.voice_memory``): a question whose number
    was right gets a "yes", and that answer becomes a take of the person's.
    Each speaker starts with nothing learned; the first and second halves of
    their answers are counted apart, to show what learning buys over time.
    Then gsc-dev's other words and noise are heard with what each speaker's
    answers taught, and must still come back as nothing.
    """
    rejects = gsc_rejects(gsc)
    for speaker in sorted({p.stem.split("_")[1] for p in fsdd.glob("*_*_*.wav")}):
        clips = sorted(fsdd.glob(f"*_{speaker}_*.wav"))[:limit]
        order = np.random.default_rng(LEARNING_SEED).permutation(len(clips))
        learner = SecondOpinionRecognizer(
            bench.sphinx, bank=bench.recognizer.bank, memory=VoiceMemory(None),
            model=bench.recognizer.model, rating_model=bench.recognizer.rating_model,
            framed=bench.recognizer.framed,
        )  # fmt: skip
        for turn, index in enumerate(order):
            path = clips[index]
            digit = int(path.stem.split("_")[0])
            half = "first half" if turn < len(order) // 2 else "second half"
            groups = [f"fsdd learning ratings/{speaker}", f"fsdd learning by half/{speaker} {half}"]
            result = bench.clip(path, Expect.RATING, "rating", digit, groups, learner, "learning")
            if result == "asked_right":
                learner.learn(digit)
        hear_rejects(bench, gsc, rejects[:limit], "gsc learning rejection", learner, "learning")


SYNTHETIC_KINDS = {
    "rating": (Expect.RATING, "rating"),
    "command": (Expect.COMMAND, "command"),
    "everyday": (Expect.RATING, None),
    "crisis": (Expect.RATING, "safety"),
}


def run_synthetic(bench: Bench, folder: Path, limit: int | None) -> None:
    with open(folder / "labels.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[:limit]
    for row in rows:
        expect, intent = SYNTHETIC_KINDS[row["kind"]]
        value: object = row["expected"] or None
        if intent == "rating":
            value = int(row["expected"])
        name = f"synthetic {row['kind']}"
        groups = [f"{name}/voice {row['voice']}", f"{name} by snr/{row['snr']}",
                  f"{name} by rate/{row['rate']}"]  # fmt: skip
        bench.clip(folder / row["file"], expect, intent, value, groups)


def run_synthetic_enrolled(bench: Bench, folder: Path, limit: int | None) -> None:
    """Each synthetic voice enrolls with its bare numbers at one pace, and is tested at another.

    The check that matters: with an enrollment, everyday sentences and
    crisis phrases in the enrolled voice must still never become ratings.
    """
    with open(folder / "labels.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    voices: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        name, _, pace = row["voice"].rpartition(":")
        voices[name][pace].append(row)
    for name, paces in sorted(voices.items()):
        first, *others = sorted(paces)
        takes = [r for r in paces[first] if r["kind"] == "rating" and r["text"] in NUMBER_WORDS]
        enrolled = enrolled_voice(bench, [folder / r["file"] for r in takes],
                                  [NUMBER_WORDS.index(r["text"]) for r in takes])  # fmt: skip
        for row in [r for pace in others for r in paces[pace]][:limit]:
            expect, intent = SYNTHETIC_KINDS[row["kind"]]
            value: object = int(row["expected"]) if intent == "rating" else row["expected"] or None
            groups = [f"synthetic enrolled {row['kind']}/{name}"]
            bench.clip(folder / row["file"], expect, intent, value, groups, enrolled)


def table(report: dict[str, object]) -> str:
    """Every group of this recognizer's sets; the baseline's synthetic sets in total only."""
    lines = [
        f"{'set':34} {'group':34} {'n':>5} {'right':>7} {'wrong':>6} {'missed':>6} "
        f"{'asked':>6} {'(right)':>7}"
    ]
    sets = report["sets"]
    assert isinstance(sets, dict)
    for name, groups in sets.items():
        for group, t in groups.items():
            if group != "all" and name.startswith("baseline synthetic"):
                continue
            lines.append(
                f"{name:34} {group:34} {t['n']:>5} {t['accuracy']:>7.1%} "
                f"{t['wrong'] / max(1, t['n']):>6.1%} {t['missed'] / max(1, t['n']):>6.1%} "
                f"{(t['asked_right'] + t['asked_wrong']) / max(1, t['n']):>6.1%} "
                f"{t['asked_right'] / max(1, t['n']):>7.1%}"
            )
    lines.append(
        f"RTF {report['rtf']:.4f} (enrolled {report['rtf_enrolled']:.4f})   "
        f"confirmation rate {report['confirmation_rate']:.1%}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N clips per set")
    parser.add_argument("--synthetic", type=Path, default=SYNTHETIC / "synthetic")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--takes", type=int, default=2, help="takes per number enrolled per speaker (0: none)"
    )
    args = parser.parse_args()
    for needed in (CORPORA / "fsdd-dev", CORPORA / "gsc-dev"):
        if not needed.is_dir():
            sys.exit(f"The corpus {needed} is missing; it should sit beside the project.")
    bench = Bench(baseline=not args.no_baseline)
    run_fsdd(bench, CORPORA / "fsdd-dev", args.limit)
    run_gsc(bench, CORPORA / "gsc-dev", args.limit)
    if args.takes:
        run_enrolled(bench, CORPORA / "fsdd-dev", CORPORA / "gsc-dev", args.takes, args.limit)
    run_learning(bench, CORPORA / "fsdd-dev", CORPORA / "gsc-dev", args.limit)
    notes = []
    if (args.synthetic / "labels.tsv").is_file():
        run_synthetic(bench, args.synthetic, args.limit)
        if args.takes:
            run_synthetic_enrolled(bench, args.synthetic, args.limit)
    else:
        notes.append(f"no synthetic set at {args.synthetic}: run scripts/make_synthetic.py")
    report = {
        "machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores",
        "python": platform.python_version(),
        "recognizer": "sphinx",
        "sets": {name: t.as_json() for name, t in sorted(bench.tables.items())},
        "rtf": bench.rtf("plain"),
        "rtf_enrolled": bench.rtf("enrolled"),
        "confirmation_rate": round(bench.rating_questions / max(1, bench.rating_answers), 4),
        "notes": notes,
    }
    print(json.dumps(report, indent=1))
    print(table(report))


if __name__ == "__main__":
    main()
