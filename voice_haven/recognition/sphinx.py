"""PocketSphinx adapter: a small language model per kind of turn, with rejection.

One decoder per process and wake phrase (loading the acoustic model takes
time and memory). Every kind of turn (``Expect``) gets its own search,
registered once at start-up, so switching grammars between turns costs
nothing. The searches are tiny n-gram models in which everyday filler
words compete with the answers (see ``sphinx_language``); that competition
is what rejects speech that is not an answer.

The acoustic model normalises cepstra over the whole utterance ("batch"
CMN, as it was trained), so the utterance is collected while the person
speaks and decoded when the endpointer fires; decoding a few seconds takes
a few tens of milliseconds (``scripts/bench_latency.py``).

"stop" matters most of all words, so when the turn's model understands
nothing, the same audio gets a second listen by a keyword spotter for
"stop" alone, guarded against noise (it must have a pitch) and sentences
(it must be short). What it finds comes back with a low confidence, and
the engine asks "Did you say stop?" before acting (``SphinxSettings``).

At a rating turn, a rating or a command heard beside much pitched voice
that no word it heard covers (``unexplained``) may be all that survived of
a sentence: the rating is asked about, the command is not understood, and
"help" there (or while a step plays) is a doubtful call for help. "stop"
is taken as heard.

A call for help heard only in part, or beside a number or a command, is
doubtful (``sphinx_help_calls``): the engine asks "Are you asking for help?"
before giving the crisis line. So is one found by a second listen, with
safety phrases weighted more, in longer speech the turn's model did not
understand (``SphinxSettings.help_weight``).
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from ..audio.span import voiced_seconds, voiced_span
from ..audio.voicing import voiced_frames
from ..vocabulary import (
    COMMAND_BY_PHRASE,
    DEFAULT_WAKE,
    NOTHING,
    Expect,
    Hearing,
    Intent,
    allowed_commands,
    interpret,
    normalize,
)
from .base import RecognizerUnavailable
from .framed_number import NumberSpan
from .sphinx_closed import (
    COMMAND_SEARCH,
    FRAMED_SEARCH,
    command_grammar,
    framed_grammar,
    number_span,
)
from .sphinx_help_calls import (
    DOUBTFUL_HELP_CONFIDENCE,
    HELP_TURNS,
    doubtful_call,
    help_search,
    partial_call,
)
from .sphinx_language import FILLER_MASS, SAFETY_WEIGHT, all_words, arpa_for, dictionary_subset
from .unexplained import (
    DOUBTED_TURNS,
    HELP_CALL,
    HELP_CALL_TURNS,
    UNEXPLAINED_CONFIDENCE,
    unexplained_frames,
)


@dataclass(frozen=True)
class SphinxSettings:
    """Decoder choices that the benchmark measures; sessions use the defaults."""

    filler_mass: float = FILLER_MASS
    """Share of the language model given to filler words (see ``sphinx_language``)."""

    language_weight: float = 15.0
    """How much the turn's language model counts against the acoustics.

    PocketSphinx's default (6.5) is tuned for dictation; with answer lists
    this small a heavier weight keeps short filler words ("a", "it") from
    splitting a number into fragments. Measured with filler share 0.1 on
    every 4th fsdd-dev clip: weight 10 heard 61% of the US speaker's digits,
    weight 15 heard 66%, and rejection of other words stayed at 90%.
    """

    level: float = 0.3
    """Peak level (full scale = 1) every utterance is brought to before decoding.

    The endpointer already found where the voice is, so a quiet microphone
    and a loud one give the model the same input.
    """

    noise_floor_db: float = -55.0
    """A steady, faint noise (dB full scale) under every utterance.

    The model was trained on real recordings, which never contain digital
    silence; replayed files and gated microphones do. Without a floor the
    model's silence and noise states find nothing they know, and words at
    the edges are lost (measured with a closed digit grammar: 58% of the US
    speaker's digits right with exact zeros around them, 85-89% with a
    floor of -70 to -50 dB).
    """

    kept_before: float = 0.3
    """Seconds kept before the first loud moment of an answer (the endpointer's pre-roll)."""

    kept_after: float = 0.2
    """Seconds kept after the last loud moment; the rest of the endpointer's silence is cut.

    The endpointer waits 0.6 s of silence to be sure the person has finished;
    decoding all of it cost time and, through the utterance-wide cepstral
    mean, accuracy. Measured on every 4th fsdd-dev clip, gsc-dev and the
    synthetic set against keeping it all: ratings +2 to +4 points per
    speaker, "yes" / "no" / "stop" +1.5 / +3 / +2, synthetic ratings +3,
    noise rejected 98%; other words at a yes/no turn rejected 3 points
    less; 30% less CPU. Keeping 0.3 s was slightly worse on every count.
    """

    two_pass: bool = False
    """PocketSphinx's flat-lexicon and lattice passes: slower, measured not to help."""

    stop_threshold: float = 1e-20
    """Keyword-spotting threshold of the second listen for "stop" (0 turns it off).

    When the turn's model understood nothing, the same audio is searched
    for the word "stop" alone. Measured on gsc-dev: 1e-20 took human "stop"
    at a yes/no turn from 60% to 77%, while taking 2% of other words for it;
    1e-25 reached 83% but took 7% of other words and 16% of everyday
    sentences. A spotted "stop" is checked with the person before acting
    (``EngineSettings.confirm_stop_below``).
    """

    voiced_frames: int = 6
    """10 ms steps with a pitch (``audio.voicing``) a second listen needs to be tried.

    Without it the spotter found "stop" in 28% of gsc-dev's noise clips
    (taps, hiss, dishes); with it, in none, and no human "stop" was lost.
    The second listen for a call for help found one in a noise clip
    without it.
    """

    help_weight: int = 4
    """How many times safety phrases count in the second listen for a call for help (0: off).

    When the turn's model understood nothing in more than a word of speech,
    the audio is decoded again with the turn's model in which the safety
    phrases count this many times instead of ``SAFETY_WEIGHT``. What that
    finds is doubtful, and the engine asks "Are you asking for help?".
    Measured on half of the synthetic set, gsc-dev and every 4th fsdd-dev
    clip: 4 found 4 of the 32 calls for help the turn's model missed, and
    asked about 17 of 304 everyday sentences, 3 of 418 ratings and one of
    gsc-dev's other words; 8 found no more. On the whole synthetic set,
    crisis phrases that reach the crisis line went from 76% to 79%.
    """

    help_shortest: float = 0.6
    """Seconds of voice an utterance needs for the second listen for a call for help.

    Most ratings and commands are one short word, and a second listen
    over them finds calls for help that were never made; but "suicide" or
    "emergency" said alone is a short word too. Measured on the synthetic
    set, gsc-dev and fsdd-dev against 1.0 s: 0.6 s found 2 more of the 247
    calls for help ("suicide" and "emergency" alone) and asked about 2
    more of the 608 everyday sentences, one of 836 ratings and one of 513
    commands; no human clip changed.
    """

    unexplained_frames: int = 25
    """Pitched 10 ms steps beside the words heard (``unexplained``) that make a rating
    turn's rating doubtful (0: off): it is asked about ("I heard seven. Is that right?").

    Measured through the session's path on every clip at a rating turn that
    might have that much (all of the synthetic set, every 2nd fsdd-dev
    clip, gsc-dev), against the rule off in the same run: 25 asked about 3
    everyday sentences taken as ratings before, and no rating that was
    right. At 20, one synthetic rating right at once was asked about; at
    15, four, and two of fsdd-dev's. None of the fsdd-dev digits measured has 20.
    """

    unexplained_command_frames: int = 15
    """The same for a command other than "stop" at a rating turn (0: off): it is not
    understood, and gets the second listens; a "help" in more than
    ``help_shortest`` of voice is a doubtful call for help.

    Measured as ``unexplained_frames``, with it at 25: 15 took 3 everyday
    sentences and 3 of gsc-dev's other words that were taken as commands
    back to nothing heard, and the 2 synthetic "help me"s heard as the
    command "help" to "Are you asking for help?" (so were one everyday
    sentence and two ratings, "about one" and "about two" in one voice,
    taken as "help" before). At 25, neither "help me" and 2 fewer of
    gsc-dev's words. No right answer was lost.
    """

    stop_longest: float = 1.2
    """Seconds of voice a spotted "stop" may span: one syllable, even drawn out.

    Everyday sentences and calls for help in which the spotter found "stop"
    all spanned more (1.1 to 2.7 s); every human "stop" it found, less.
    """


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


SPOT_STOP = "spot-stop"
"""The keyword search of the second listen for "stop"."""


SPOTTED_CONFIDENCE = 0.4
"""Confidence of a "stop" only the spotter heard: the engine checks it first."""


class _Engine:
    """The decoder and which utterance owns it; shared by every recognizer object."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.lock = threading.Lock()
        self.current: _SphinxUtterance | None = None


@cache
def _engine(settings: SphinxSettings, wake: str) -> _Engine:
    """The process's decoder for these settings, with one search per kind of turn."""
    from pocketsphinx import Config, Decoder

    hmm, cmudict = _model_files()
    wanted = all_words(wake)
    with open(cmudict, encoding="utf-8") as source:
        words, missing = dictionary_subset(source.readlines(), wanted)
    unknown = [w for w in normalize(wake).split() if w in missing]
    if unknown:
        raise RecognizerUnavailable(
            f'PocketSphinx does not know the word "{unknown[0]}" of the wake phrase '
            f'"{wake}"; choose a wake phrase of everyday English words.'
        )
    known = wanted - missing
    with tempfile.TemporaryDirectory(prefix="voice-haven-sphinx-") as folder:
        dict_path = os.path.join(folder, "words.dict")
        with open(dict_path, "w", encoding="utf-8") as out:
            out.write(words)
        config = Config(
            hmm=hmm,
            dict=dict_path,
            lm=None,
            loglevel="FATAL",
            lw=settings.language_weight,
            fwdflat=settings.two_pass,
            bestpath=settings.two_pass,
            kws_threshold=settings.stop_threshold or 1e-30,
        )
        decoder = Decoder(config)
        decoder.add_keyphrase(SPOT_STOP, "stop")
        decoder.add_jsgf_string(FRAMED_SEARCH, framed_grammar())
        decoder.add_jsgf_string(COMMAND_SEARCH, command_grammar())
        for expect in Expect:
            searches = {expect.value: SAFETY_WEIGHT}
            if settings.help_weight and expect in HELP_TURNS:
                searches[help_search(expect)] = settings.help_weight
            for search, safety_weight in searches.items():
                lm_path = os.path.join(folder, f"{search}.arpa")
                with open(lm_path, "w", encoding="utf-8") as out:
                    out.write(
                        arpa_for(expect, known, settings.filler_mass, wake=wake,
                                 safety_weight=safety_weight)
                    )  # fmt: skip
                decoder.add_lm_file(search, lm_path)
    return _Engine(decoder)


def condition(pcm: np.ndarray, settings: SphinxSettings) -> np.ndarray:
    """The utterance as the acoustic model hears it best: a set level over a faint floor.

    The floor is the same pseudo-random noise every time, so a recording
    always decodes the same way.
    """
    audio = pcm.astype(np.float32) / 32768.0
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    if peak > 0:
        audio *= settings.level / peak
    floor = np.random.default_rng(0).standard_normal(audio.size).astype(np.float32)
    audio += floor * np.float32(10 ** (settings.noise_floor_db / 20))
    return np.clip(np.round(audio * 32767.0), -32768, 32767).astype(np.int16)


class _SphinxUtterance:
    """One answer turn; only the newest utterance of a recognizer may be fed."""

    def __init__(self, owner: _Engine, expect: Expect, recognizer: SphinxRecognizer) -> None:
        self.owner = owner
        self.expect = expect
        self.recognizer = recognizer
        self.audio: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        self.audio.append(np.asarray(samples, dtype=np.int16))

    def finish(self) -> Hearing:
        pcm = np.concatenate(self.audio) if self.audio else np.zeros(0, np.int16)
        settings = self.recognizer.settings
        pcm = pcm[voiced_span(pcm, before=settings.kept_before, after=settings.kept_after)]
        with self.owner.lock:
            if self.owner.current is not self:
                return NOTHING
            self.owner.current = None
            decoder = self.owner.decoder
            audio = condition(pcm, self.recognizer.settings).tobytes()
            decoder.process_raw(audio, False, True)
            decoder.end_utt()
            hypothesis = decoder.hyp()
            text = hypothesis.hypstr if hypothesis else ""
            wake = self.recognizer.wake
            heard = interpret(text, self.expect, confidence=1.0, wake=wake)
            phrase = str(heard.value)
            if heard.intent is Intent.SAFETY and doubtful_call(text, phrase, self.expect, wake):
                return replace(heard, confidence=DOUBTFUL_HELP_CONFIDENCE)
            if heard.understood:
                doubted = self._doubted(heard, decoder, pcm)
                if doubted is None:
                    return replace(heard, confidence=0.9)
                if doubted.understood:
                    return doubted
            partial = self._partial_call(text, pcm)
            if partial is not None:
                return partial
            if self._spot_stop(decoder, pcm, audio):
                return Hearing("stop", Intent.COMMAND, "stop", SPOTTED_CONFIDENCE, True)
            called = self._listen_for_help(decoder, pcm, audio)
            if called is not None:
                return called
        return Hearing(speech=bool(text.strip()))

    def _doubted(self, heard: Hearing, decoder: Any, pcm: np.ndarray) -> Hearing | None:
        """``heard`` doubted for the voice beside it that no word explains, or None.

        A rating comes back to be asked about, a "help" in a longer
        utterance as a doubtful call for help, another command as not
        understood, which then gets the second listens (``unexplained``).
        """
        most = self._most_unexplained(heard)
        if not most:
            return None
        if unexplained_frames(pcm, decoder.seg() or (), SphinxRecognizer.sample_rate) < most:
            return None
        if heard.intent is Intent.RATING:
            return replace(heard, confidence=UNEXPLAINED_CONFIDENCE)
        if heard.is_command("help") and self._may_call_for_help(
            pcm, self.recognizer.settings.help_shortest
        ):
            return Hearing(heard.text, Intent.SAFETY, HELP_CALL, DOUBTFUL_HELP_CONFIDENCE, True)
        if self.expect in DOUBTED_TURNS:
            return Hearing(speech=True)
        return None

    def _most_unexplained(self, heard: Hearing) -> int:
        """Unexplained steps that make ``heard`` doubtful at this turn (0: never)."""
        settings = self.recognizer.settings
        if self.expect in DOUBTED_TURNS:
            if heard.intent is Intent.RATING:
                return settings.unexplained_frames
            if heard.intent is Intent.COMMAND and not heard.is_command("stop"):
                return settings.unexplained_command_frames
        if self.expect in HELP_CALL_TURNS and heard.is_command("help"):
            return settings.unexplained_command_frames
        return 0

    def _pitched(self, pcm: np.ndarray) -> bool:
        """Enough pitched voice to be worth a second look (``SphinxSettings.voiced_frames``)."""
        frames = voiced_frames(pcm, SphinxRecognizer.sample_rate)
        return frames >= self.recognizer.settings.voiced_frames

    def _may_call_for_help(self, pcm: np.ndarray, shortest: float) -> bool:
        """Longer than ``shortest`` and pitched, at a turn where the person answers.

        A lone "nine" can sound like "i need", and most ratings and commands
        a second listen would take for a call are one short word.
        """
        if self.expect not in HELP_TURNS:
            return False
        return voiced_seconds(pcm) > shortest and self._pitched(pcm)

    def _partial_call(self, text: str, pcm: np.ndarray) -> Hearing | None:
        """A call for help heard only in part (``PARTIAL_CALLS``): doubtful."""
        call = partial_call(text)
        if call is None or not self._may_call_for_help(pcm, call.shortest):
            return None
        return Hearing(text, Intent.SAFETY, call.phrase, DOUBTFUL_HELP_CONFIDENCE, True)

    def _listen_for_help(self, decoder: Any, pcm: np.ndarray, audio: bytes) -> Hearing | None:
        """The second listen: a call for help in more than a word the turn's model missed."""
        settings = self.recognizer.settings
        if not settings.help_weight or not self._may_call_for_help(pcm, settings.help_shortest):
            return None
        text = _decode_again(decoder, help_search(self.expect), audio)
        heard = interpret(text, self.expect, wake=self.recognizer.wake)
        if heard.intent is not Intent.SAFETY:
            return None
        return replace(heard, confidence=DOUBTFUL_HELP_CONFIDENCE)

    def _spot_stop(self, decoder: Any, pcm: np.ndarray, audio: bytes) -> bool:
        """The second listen: is "stop" in an answer the turn's model did not understand?"""
        settings = self.recognizer.settings
        if not settings.stop_threshold or "stop" not in allowed_commands(self.expect):
            return False
        if self.expect is Expect.WAKE:  # while waiting, "stop" changes nothing
            return False
        if voiced_seconds(pcm) > settings.stop_longest:
            return False
        if not self._pitched(pcm):
            return False
        return "stop" in _decode_again(decoder, SPOT_STOP, audio).split()


def _decode_again(decoder: Any, search: str, audio: bytes) -> str:
    """The hypothesis of another search over an utterance already decoded once."""
    decoder.activate_search(search)
    decoder.start_utt()
    decoder.process_raw(audio, False, True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis else ""


class SphinxRecognizer:
    """PocketSphinx with the US-English model shipped inside its wheel."""

    name = "sphinx"
    sample_rate = 16000

    def __init__(
        self, settings: SphinxSettings = DEFAULT_SETTINGS, wake: str = DEFAULT_WAKE
    ) -> None:
        self.settings = settings
        self.wake = normalize(wake)
        self._engine = _engine(settings, self.wake)

    def start(self, expect: Expect) -> _SphinxUtterance:
        """Open an utterance; an unfinished earlier one is abandoned."""
        engine = self._engine
        utterance = _SphinxUtterance(engine, expect, self)
        with engine.lock:
            if engine.current is not None:
                engine.decoder.end_utt()
            engine.decoder.activate_search(expect.value)
            engine.decoder.start_utt()
            engine.current = utterance
        return utterance

    def number_span(self, pcm: np.ndarray) -> NumberSpan | None:
        """Where the number lies in an answer, aligned to its likeliest framing.

        For the second opinion, after the turn's own decode (``framed_number``).
        """
        decoded = self._closed(FRAMED_SEARCH, pcm)
        if decoded is None:
            return None
        kept, _, segments = decoded
        return number_span(segments, offset=kept.start or 0)

    def closed_command(self, pcm: np.ndarray) -> str | None:
        """The command a closed choice between every command phrase hears (``command_check``)."""
        decoded = self._closed(COMMAND_SEARCH, pcm)
        return None if decoded is None else COMMAND_BY_PHRASE.get(decoded[1])

    def _closed(self, search: str, pcm: np.ndarray) -> tuple[slice, str, list[Any]] | None:
        """An answer decoded again with a closed grammar: what was kept of it, the
        hypothesis and its words; None while another utterance is being heard."""
        settings = self.settings
        kept = voiced_span(pcm, before=settings.kept_before, after=settings.kept_after)
        audio = condition(pcm[kept], settings).tobytes()
        engine = self._engine
        with engine.lock:
            if engine.current is not None:
                return None
            text = _decode_again(engine.decoder, search, audio)
            return kept, text, list(engine.decoder.seg() or ())
