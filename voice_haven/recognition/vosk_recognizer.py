"""The Vosk adapter: a grammar-constrained Kaldi recognizer per answer turn.

Each turn gets a fresh ``KaldiRecognizer`` whose grammar is the turn's
phrases (``vocabulary.phrases_for``) plus ``[unk]``: the decoder can only
choose among the answers that make sense now, and ``[unk]`` gives every
other sound somewhere to go, so "what time is it" comes back as nothing
heard instead of as the nearest number. Phrases with a word the model does
not know are left out (Vosk would otherwise drop the word and accept the
rest of the phrase, which changes its meaning).

The model is loaded once per process: loading takes seconds and hundreds
of megabytes, a recognizer per turn takes milliseconds.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..vocabulary import DEFAULT_WAKE, Expect, Hearing, Intent, interpret, phrases_for
from .base import RecognizerUnavailable
from .models import model_problem

log = logging.getLogger(__name__)

UNKNOWN = "[unk]"
_INSTALL_HINT = (
    "install one with `voice-haven model install FILE.zip` (see models/README.md) "
    "or use --recognizer sphinx"
)

Meaning = Callable[[str, Expect, float], Hearing]
"""Turns a transcript into a Hearing (``vocabulary.interpret``)."""

_models: dict[Path, Any] = {}
_models_lock = threading.Lock()


def _vosk() -> Any:
    try:
        import vosk
    except ImportError:
        raise RecognizerUnavailable(
            "Vosk is not installed; install it with `pip install vosk` or use --recognizer sphinx."
        ) from None
    vosk.SetLogLevel(-1)
    return vosk


def load_model(path: Path) -> Any:
    """The ``vosk.Model`` for ``path``, loaded on first use and kept for the process."""
    key = Path(path).expanduser().resolve()
    with _models_lock:
        if key in _models:
            return _models[key]
        problem = model_problem(key)
        if problem:
            raise RecognizerUnavailable(f"No Vosk model at {path}: {problem}; {_INSTALL_HINT}.")
        vosk = _vosk()
        # While loading, even Vosk's ERROR lines are silenced: they would repeat, less
        # kindly, what the one-sentence RecognizerUnavailable below already says.
        vosk.SetLogLevel(-3)
        try:
            model = vosk.Model(str(key))
        except Exception:
            raise RecognizerUnavailable(
                f"The Vosk model at {path} could not be loaded, so it may be damaged or "
                f"incomplete; {_INSTALL_HINT}."
            ) from None
        finally:
            vosk.SetLogLevel(-1)
        _models[key] = model
        return model


class VoskRecognizer:
    """``recognition.base.Recognizer`` on a Vosk model folder."""

    name = "vosk"
    sample_rate = 16000

    def __init__(
        self,
        model_dir: Path,
        phrases: Callable[[Expect], Iterable[str]] | None = None,
        meaning: Meaning | None = None,
        wake: str = DEFAULT_WAKE,
    ) -> None:
        """``phrases`` and ``meaning`` are the language heard (``vocabulary`` by default,
        with ``wake`` as the phrase a ``WAKE`` turn listens for)."""
        self.model_dir = Path(model_dir)
        self.model = load_model(self.model_dir)
        self._phrases = phrases or partial(phrases_for, wake=wake)
        self._meaning = meaning or partial(interpret, wake=wake)
        self._grammars: dict[Expect, str] = {}
        self._known: dict[str, bool] = {}

    @property
    def description(self) -> str:
        return f"Vosk ({self.model_dir.name})"

    def knows(self, word: str) -> bool:
        """Whether the model's vocabulary has ``word``; unknown when Vosk cannot say."""
        if word not in self._known:
            find = getattr(self.model, "vosk_model_find_word", None)
            self._known[word] = True if find is None else find(word) >= 0
        return self._known[word]

    def grammar(self, expect: Expect) -> list[str]:
        """The phrases of this kind of turn that the model can say, plus ``[unk]``."""
        return json.loads(self._grammar_json(expect))

    def _grammar_json(self, expect: Expect) -> str:
        if expect not in self._grammars:
            usable = [p for p in self._phrases(expect) if all(self.knows(w) for w in p.split())]
            if not usable:
                log.warning(
                    "The Vosk model at %s knows none of the words voice-haven listens for "
                    "(%s turns), so it will hear nothing; use an English model.",
                    self.model_dir,
                    expect.value.replace("_", "/"),
                )
            extra = [UNKNOWN] if self.knows(UNKNOWN) else []
            # Vosk reads the grammar's JSON itself and does not undo \u escapes.
            self._grammars[expect] = json.dumps([*usable, *extra], ensure_ascii=False)
        return self._grammars[expect]

    def start(self, expect: Expect) -> VoskUtterance | DeafUtterance:
        grammar = self._grammar_json(expect)
        if json.loads(grammar) in ([], [UNKNOWN]):
            # Nothing to listen for; an empty grammar would make Vosk decode freely.
            return DeafUtterance()
        vosk = _vosk()
        recognizer = vosk.KaldiRecognizer(self.model, float(self.sample_rate), grammar)
        recognizer.SetWords(True)
        return VoskUtterance(recognizer, expect, self._meaning)


class DeafUtterance:
    """The utterance of a turn whose grammar the model cannot express: never an answer."""

    def feed(self, samples: np.ndarray) -> None:
        """Nothing to decode against."""

    def finish(self) -> Hearing:
        return Hearing(speech=True)


class VoskUtterance:
    """One answer being decoded; ``feed`` while the person speaks, ``finish`` at the end."""

    def __init__(self, recognizer: Any, expect: Expect, meaning: Meaning = interpret) -> None:
        self._recognizer = recognizer
        self._expect = expect
        self._meaning = meaning
        self._segments: list[dict[str, Any]] = []

    def feed(self, samples: np.ndarray) -> None:
        pcm = samples.astype("<i2", copy=False).tobytes()
        # Vosk's own endpointing may close a segment mid-answer (a long pause
        # inside "it's... seven"): keep it, or its words would be lost.
        if self._recognizer.AcceptWaveform(pcm):
            self._segments.append(json.loads(self._recognizer.Result()))

    def finish(self) -> Hearing:
        self._segments.append(json.loads(self._recognizer.FinalResult()))
        return hearing_from_results(self._segments, self._expect, self._meaning)


def hearing_from_results(
    results: list[dict[str, Any]], expect: Expect, meaning: Meaning = interpret
) -> Hearing:
    """The meaning of Vosk's JSON results for one utterance (words with ``conf``).

    The confidence is the least sure word's: one doubtful word makes the
    whole answer doubtful. ``[unk]`` anywhere means part of what was said
    is outside the grammar, so "[unk] seven" is not a rating, though a
    safety phrase is still heard whatever surrounds it.
    """
    words = [w for result in results for w in result.get("result", [])]
    tokens = [str(w.get("word", "")) for w in words] or " ".join(
        str(result.get("text", "")) for result in results
    ).split()
    known = [t for t in tokens if t != UNKNOWN]
    if not known:
        return Hearing(speech=bool(tokens))
    confidences = [float(w.get("conf", 1.0)) for w in words if w.get("word") != UNKNOWN]
    confidence = min(confidences) if confidences else 1.0
    hearing = meaning(" ".join(known), expect, confidence)
    if UNKNOWN in tokens and hearing.intent is not Intent.SAFETY:
        return Hearing(text=hearing.text, confidence=confidence, speech=True)
    return hearing
