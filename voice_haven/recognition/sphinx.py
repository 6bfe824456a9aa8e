"""PocketSphinx adapter: a small language model per kind of turn, with rejection.

One decoder per process (loading the acoustic model takes time and memory).
Every kind of turn (``Expect``) gets its own search, registered once at
start-up, so switching grammars between turns costs nothing. The searches
are tiny n-gram models in which everyday filler words compete with the
answers (see ``sphinx_language``); that competition is what rejects speech
that is not an answer.

Audio is streamed into the decoder as it arrives, so when the endpointer
fires only the end of the utterance remains to decode.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from ..vocabulary import NOTHING, Expect, Hearing, interpret
from .base import RecognizerUnavailable
from .sphinx_language import all_words, arpa_for, dictionary_subset


@dataclass(frozen=True)
class SphinxSettings:
    """Decoder choices that the benchmark measures; sessions use the defaults."""

    filler_mass: float = 0.3
    """Share of the language model given to filler words (see ``sphinx_language``)."""
    two_pass: bool = False
    """PocketSphinx's flat-lexicon and lattice passes: slower, measured not to help."""
    cmn: str = "batch"
    """Cepstral mean normalisation: "batch" (per utterance, as the model was trained) or
    "live" (running mean carried across utterances, allows streaming)."""
    remove_noise: bool = True
    """PocketSphinx's spectral noise subtraction."""


DEFAULT_SETTINGS = SphinxSettings()


def _model_files() -> tuple[str, str]:
    try:
        import pocketsphinx
    except ImportError as exc:
        raise RecognizerUnavailable(
            f"PocketSphinx is not installed ({exc}); reinstall voice-haven."
        ) from None
    base = pocketsphinx.get_model_path()
    hmm = os.path.join(base, "en-us", "en-us")
    dictionary = os.path.join(base, "en-us", "cmudict-en-us.dict")
    if not (os.path.isdir(hmm) and os.path.isfile(dictionary)):
        raise RecognizerUnavailable(
            f"The PocketSphinx English model is missing from {base}; reinstall pocketsphinx."
        )
    return hmm, dictionary


def _feature_params(hmm: str, settings: SphinxSettings) -> str:
    """The model's own front-end settings, with the choices ``settings`` makes.

    PocketSphinx lets the model's ``feat.params`` override the decoder
    configuration, so the choices have to be made in that file.
    """
    wanted = {"-cmn": settings.cmn, "-remove_noise": "yes" if settings.remove_noise else "no"}
    lines = []
    with open(os.path.join(hmm, "feat.params"), encoding="utf-8") as source:
        for line in source:
            key = line.split(maxsplit=1)[0] if line.strip() else ""
            if key not in wanted:
                lines.append(line.rstrip("\n"))
    lines += [f"{key} {value}" for key, value in wanted.items()]
    return "\n".join(lines) + "\n"


class _Engine:
    """The decoder and which utterance owns it; shared by every recognizer object."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.lock = threading.Lock()
        self.current: _SphinxUtterance | None = None


@cache
def _engine(settings: SphinxSettings) -> _Engine:
    """The process's decoder for these settings, with one search per kind of turn."""
    from pocketsphinx import Config, Decoder

    hmm, cmudict = _model_files()
    with open(cmudict, encoding="utf-8") as source:
        words, missing = dictionary_subset(source.readlines(), all_words())
    known = all_words() - missing
    with tempfile.TemporaryDirectory(prefix="voice-haven-sphinx-") as folder:
        dict_path = os.path.join(folder, "words.dict")
        with open(dict_path, "w", encoding="utf-8") as out:
            out.write(words)
        params_path = os.path.join(folder, "feat.params")
        with open(params_path, "w", encoding="utf-8") as out:
            out.write(_feature_params(hmm, settings))
        config = Config(
            hmm=hmm,
            featparams=params_path,
            dict=dict_path,
            lm=None,
            loglevel="FATAL",
            fwdflat=settings.two_pass,
            bestpath=settings.two_pass,
        )
        decoder = Decoder(config)
        for expect in Expect:
            lm_path = os.path.join(folder, f"{expect.value}.arpa")
            with open(lm_path, "w", encoding="utf-8") as out:
                out.write(arpa_for(expect, known, settings.filler_mass))
            decoder.add_lm_file(expect.value, lm_path)
    return _Engine(decoder)


class _SphinxUtterance:
    """One answer turn; only the newest utterance of a recognizer may be fed."""

    def __init__(self, owner: _Engine, expect: Expect, streaming: bool) -> None:
        self.owner = owner
        self.expect = expect
        self.streaming = streaming
        self.audio: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        pcm = np.asarray(samples, dtype=np.int16)
        with self.owner.lock:
            if self.owner.current is not self:
                return
            if self.streaming:
                self.owner.decoder.process_raw(pcm.tobytes(), False, False)
            else:
                self.audio.append(pcm)

    def finish(self) -> Hearing:
        with self.owner.lock:
            if self.owner.current is not self:
                return NOTHING
            self.owner.current = None
            decoder = self.owner.decoder
            if not self.streaming and self.audio:
                decoder.process_raw(np.concatenate(self.audio).tobytes(), False, True)
            decoder.end_utt()
            hypothesis = decoder.hyp()
        text = hypothesis.hypstr if hypothesis else ""
        heard = interpret(text, self.expect, confidence=1.0)
        if not heard.understood:
            return Hearing(speech=bool(text.strip()))
        return replace(heard, confidence=0.9)


class SphinxRecognizer:
    """PocketSphinx with the US-English model shipped inside its wheel."""

    name = "sphinx"
    sample_rate = 16000

    def __init__(self, settings: SphinxSettings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self._engine = _engine(settings)

    def start(self, expect: Expect) -> _SphinxUtterance:
        """Open an utterance; an unfinished earlier one is abandoned."""
        engine = self._engine
        utterance = _SphinxUtterance(engine, expect, self.settings.cmn == "live")
        with engine.lock:
            if engine.current is not None:
                engine.decoder.end_utt()
            engine.decoder.activate_search(expect.value)
            engine.decoder.start_utt()
            engine.current = utterance
        return utterance
