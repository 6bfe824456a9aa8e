"""``voice-haven enroll``: the person says each number, and their takes tune the ratings.

Pure dialogue logic over a ``Speaker`` and an ``Ear``; the words live in
``data/enroll.toml``. "stop" ends it at once and changes nothing; a call
for help is answered with the crisis line, as in a session. When two
numbers in a row go unheard the person seems to have gone: it stops asking
and keeps what it heard. Each number is
asked for ``takes`` times, in rounds through zero to ten, so the takes of
one number are not said in one breath; a take that is not heard is asked
for again, a couple of times, then left out.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

import numpy as np

from .audio.embedding import speech_embedding
from .audio.span import voiced_seconds
from .ports import Speaker
from .recognition.templates import VoiceTemplates
from .vocabulary import NUMBER_WORDS, Hearing, Intent

TRIES = 3
"""How often one take is asked for before it is left out."""

AWAY_AFTER = 2
"""Numbers in a row with no take at all, after which the person seems to have gone."""

SHORTEST = 0.12
"""Seconds of voice a take must hold to describe a word."""


@dataclass(frozen=True)
class Take:
    """One answer: what the recognizer made of it, and its audio at the recognizer's rate."""

    hearing: Hearing
    samples: np.ndarray


class Ear(Protocol):
    def take(self, timeout: float) -> Take:
        """Wait for one utterance after a cue; empty samples mean nothing was heard."""


class Stopped(Exception):
    """The person said stop, or asked for help."""


@cache
def words() -> dict[str, str]:
    text = resources.files("voice_haven.data").joinpath("enroll.toml").read_text("utf-8")
    return tomllib.loads(text)


def enroll(
    speaker: Speaker,
    ear: Ear,
    takes: int = 2,
    crisis: Callable[[], list[str]] = list,
    timeout: float = 8.0,
) -> VoiceTemplates | None:
    """Lead the person through the numbers; their takes, or None if nothing was kept.

    ``crisis`` gives the sentences that answer a call for help.
    """
    said = words()
    speaker.say(said["intro"])
    kept: dict[int, list[np.ndarray]] = {}
    unheard = 0
    try:
        for round_ in range(takes):
            if round_:
                speaker.say(said["second_round"])
            for number, word in enumerate(NUMBER_WORDS):
                features = _one_take(speaker, ear, word, timeout, crisis)
                if features is not None:
                    kept.setdefault(number, []).append(features)
                unheard = 0 if features is not None else unheard + 1
                if unheard >= AWAY_AFTER:
                    speaker.say(said["away"])
                    break
            if unheard >= AWAY_AFTER:
                break
    except Stopped:
        return None
    if not kept:
        speaker.say(said["nothing"])
        return None
    speaker.say(said["done"] if len(kept) == len(NUMBER_WORDS) else said["partly"])
    return VoiceTemplates({n: tuple(ts) for n, ts in kept.items()})


def _one_take(
    speaker: Speaker, ear: Ear, word: str, timeout: float, crisis: Callable[[], list[str]]
) -> np.ndarray | None:
    said = words()
    for attempt in range(TRIES):
        speaker.say((said["prompt"] if attempt == 0 else said["again"]).format(number=word))
        take = ear.take(timeout)
        if take.hearing.intent is Intent.SAFETY:
            for line in crisis():
                speaker.say(line)
            raise Stopped
        if take.hearing.intent is Intent.COMMAND and take.hearing.value == "stop":
            speaker.say(said["stopped"])
            raise Stopped
        if voiced_seconds(take.samples) >= SHORTEST:
            return speech_embedding(take.samples)
    return None
