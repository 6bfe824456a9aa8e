"""Which recognizer and which Vosk model a run uses.

Model: ``--model DIR``, else ``$VOICE_HAVEN_MODEL``, else an English model
from the store (``voice-haven model install``). With ``--recognizer auto``
Vosk is used when that model is English, else PocketSphinx, whose US
English model ships inside its wheel, so the device always has a voice to
listen with.

Whether a model is English is decided from its files, without loading it
(loading takes seconds): its folder name carries an English language tag
("en", "en-us", "en-in", ... as in every official English model's name), or
the first lines of its README say "English". The official READMEs name the
language ("US English model for mobile Vosk applications", "Small Korean
for Vosk"), so a renamed folder is still recognised. A model that says
neither is treated as not English: ``auto`` then prefers PocketSphinx, and
``--recognizer vosk`` still uses it when asked to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..audio.embedding import EmbeddingUnavailable, load_model
from ..vocabulary import DEFAULT_WAKE
from .base import Recognizer, RecognizerUnavailable
from .call_check import CallCheck
from .command_check import CommandCheck
from .framed_number import FramedNumber, NumberLocator
from .models import installed, model_problem
from .second_opinion import SecondOpinionRecognizer, load_bank
from .stop_check import StopCheck
from .voice_memory import VoiceMemory
from .word_model import (
    CALL_MODEL,
    COMMAND_MODEL,
    NUMBER_MODEL,
    RATING_MODEL,
    STOP_MODEL,
    WordModel,
    optional_word_model,
)

if TYPE_CHECKING:
    from .sphinx import SphinxRecognizer

MODEL_ENV = "VOICE_HAVEN_MODEL"

_ENGLISH_TAG = re.compile(r"(?:^|[-_.])en(?:[-_.]|$)", re.IGNORECASE)


def is_english_model(path: Path) -> bool:
    """Whether a Vosk model folder is for English (see the module notes)."""
    path = Path(path)
    if _ENGLISH_TAG.search(path.name) or "english" in path.name.lower():
        return True
    readme = path / "README"
    if not readme.is_file():
        readme = path / "README.md"
    try:
        with open(readme, encoding="utf-8", errors="replace") as text:
            opening = text.read(600).lower()
    except OSError:
        return False
    return "english" in opening


def resolve_model(model: Path | None, data_dir: Path) -> Path | None:
    """The model folder this run would use, or None when there is none at all."""
    if model is not None:
        return Path(model).expanduser()
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV]).expanduser()
    found = installed(data_dir)
    english = [p for p in found if is_english_model(p)]
    # Small models first: they are the ones that fit a Pi's memory.
    english.sort(key=lambda p: ("small" not in p.name.lower(), p.name))
    return english[0] if english else None


def find_english_model(model: Path | None, data_dir: Path) -> Path | None:
    """The usable English Vosk model this run would find, or None (``check`` reports it)."""
    path = resolve_model(model, data_dir)
    if path is None or model_problem(path) is not None or not is_english_model(path):
        return None
    return path


@dataclass(frozen=True)
class Choice:
    recognizer: Recognizer
    description: str
    """Says which recognizer listens, e.g. "PocketSphinx (US English)"."""

    second_opinion: bool = True
    """Whether ratings get the second opinion (``recognition.second_opinion``).

    PocketSphinx's own confidence says nothing, so it needs one. Vosk
    gives each word a confidence, which ``EngineSettings.confirm_below``
    already uses, and a second Vosk decode after every answer would cost a
    Pi a few hundred milliseconds.
    """

    locator: NumberLocator | None = None
    """Where a rating's number lies in the answer, for the second opinion
    (``framed_number``): PocketSphinx's alignment."""


def choose(
    name: str,
    model: Path | None,
    data_dir: Path,
    wake: str = DEFAULT_WAKE,
    judged: bool = True,
) -> Choice:
    """The recognizer for ``--recognizer auto|vosk|sphinx`` (imported only when chosen).

    ``wake`` is the phrase ``Expect.WAKE`` turns listen for (``serve --wake``).
    With ``judged``, ratings are weighed: by the person's voice enrollment
    when there is one (``recognition.enrolled``), else, for PocketSphinx, by
    the second opinions (``Choice.second_opinion``), whose number bank
    learns the ratings the person confirms (``voice_memory``), and whose number model
    (``word_model``) names the number an answer sounds like. ``enroll`` itself hears
    plainly: it needs only "stop" and calls for help, and keeps the audio.
    """
    choice = _choose(name, model, data_dir, wake)
    if not judged:
        return choice
    from .enrolled import with_enrollment

    tuned, note = with_enrollment(choice.recognizer, data_dir)
    if tuned is not None:
        return Choice(tuned, choice.description + note)
    description = choice.description + note
    if not choice.second_opinion:
        return Choice(choice.recognizer, description, second_opinion=False)
    try:
        bank = load_bank()
    except RecognizerUnavailable as exc:
        # The bank only sharpens ratings: without it the device still listens.
        reason = str(exc).rstrip(".")
        return Choice(
            SecondOpinionRecognizer(choice.recognizer),
            f"{description}, without its number bank ({reason})",
        )
    number_model, note = optional_word_model(NUMBER_MODEL, "number model")
    rating_model, rating_note = optional_word_model(RATING_MODEL, "rating model")
    description += note + rating_note
    memory = VoiceMemory(data_dir)
    if memory.problem is not None:
        description += f" ({memory.problem})"
    framed = None
    if choice.locator is not None and number_model is not None:
        framed = FramedNumber(choice.locator, number_model, choice.recognizer.sample_rate)
    judged_by = SecondOpinionRecognizer(
        choice.recognizer, bank=bank, memory=memory, model=number_model,
        rating_model=rating_model, framed=framed,
    )  # fmt: skip
    return Choice(judged_by, description)


def _choose(name: str, model: Path | None, data_dir: Path, wake: str) -> Choice:
    if name not in ("auto", "vosk", "sphinx"):
        raise RecognizerUnavailable(
            f"There is no recognizer called {name}; use auto, vosk or sphinx."
        )
    path = None if name == "sphinx" else resolve_model(model, data_dir)
    if name == "vosk":
        if path is None:
            raise RecognizerUnavailable(
                "No Vosk model was found; install one with `voice-haven model install FILE.zip` "
                "(see models/README.md), give one with --model DIR, or use --recognizer sphinx."
            )
        return _vosk(path, wake)
    if name == "auto" and path is not None and is_english_model(path):
        return _vosk(path, wake)
    try:
        from .sphinx import SphinxRecognizer
    except ImportError as exc:
        raise RecognizerUnavailable(
            f"PocketSphinx cannot be used here ({exc}); reinstall voice-haven, or install "
            "a Vosk model with `voice-haven model install FILE.zip`."
        ) from None
    description = "PocketSphinx (US English)"
    if name == "auto" and model is not None:
        description += f", because the Vosk model at {model} does not look English"
    sphinx = SphinxRecognizer(wake=wake)
    recognizer, note = with_last_listens(sphinx)
    return Choice(recognizer, description + note, locator=sphinx)


def with_last_listens(sphinx: SphinxRecognizer) -> tuple[Recognizer, str]:
    """PocketSphinx with its last listens for what it missed, and a note.

    First for a call for help (``call_check``), which must never be lost to
    a guess at a command, then for "stop" (``stop_check``), then for any
    command at a command or yes/no turn (``command_check``, with PocketSphinx's
    closed choice between the commands beside the model). Without a model
    (a damaged install) it still listens, as before the models, and the
    session's first line says so.
    """
    notes = []
    checks: tuple[tuple[str, str, Callable[[Recognizer, WordModel], Recognizer]], ...] = (
        (CALL_MODEL, "call model", CallCheck),
        (STOP_MODEL, "stop model", StopCheck),
        (COMMAND_MODEL, "command model", partial(CommandCheck, chooser=sphinx)),
    )
    recognizer: Recognizer = sphinx
    for name, what, check in checks:
        model, note = optional_word_model(name, what)
        if model is None:
            notes.append(note)
            continue
        try:
            load_model()
        except EmbeddingUnavailable as exc:
            notes.append(f", without its {what} ({str(exc).rstrip('.')})")
            continue
        recognizer = check(recognizer, model)
    return recognizer, "".join(notes)


def _vosk(path: Path, wake: str) -> Choice:
    from .vosk_recognizer import VoskRecognizer

    recognizer = VoskRecognizer(path, wake=wake)
    return Choice(recognizer, recognizer.description, second_opinion=False)


def choose_recognizer(name: str, model: Path | None, data_dir: Path) -> Recognizer:
    return choose(name, model, data_dir).recognizer
