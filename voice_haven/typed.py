"""Keyboard and caption adapters: the session without audio.

Typed answers are one line per answer turn. The end of input means the
person has gone, which the engine turns into a saved, kind ending.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .ports import Clock, InputClosed, Speaker
from .vocabulary import Expect, Hearing, interpret


class TypedListener:
    """Reads one answer per line; pauses pass on the clock without reading."""

    def __init__(self, clock: Clock, stream: TextIO | None = None, echo: bool = False) -> None:
        self.clock = clock
        self.stream = stream or sys.stdin
        self.echo = echo

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        line = self.stream.readline()
        if not line:
            raise InputClosed
        if self.echo:
            print(f"> {line.rstrip()}", flush=True)
        return interpret(line, expect)

    def wait(self, seconds: float) -> Hearing | None:
        self.clock.sleep(seconds)
        return None

    def confirmed(self, value: int) -> None:
        """Typed numbers need no learning."""


class CaptionSpeaker:
    """Prints every sentence as a caption, then lets an inner speaker say it."""

    def __init__(self, inner: Speaker | None = None, stream: TextIO | None = None) -> None:
        self.inner = inner
        self.stream = stream or sys.stdout

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)
        if self.inner is not None:
            self.inner.say(text)

    def set_pace(self, factor: float) -> None:
        if self.inner is not None:
            self.inner.set_pace(factor)

    def set_gain(self, gain: float) -> None:
        if self.inner is not None:
            self.inner.set_gain(gain)
