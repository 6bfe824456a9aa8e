"""The small interfaces through which the session engine meets the world.

The engine only ever sees these four roles. Keyboards, microphones, WAV
files, speech engines and SQLite are adapters that implement them, chosen
at the edge (see ``wiring``), so tests can swap any of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from .vocabulary import Expect, Hearing


class InputClosed(Exception):
    """The person has gone: typed input ended, or the microphone vanished for good."""


class MicrophoneLost(InputClosed):
    """The microphone stopped working mid-session (unplugged, driver error)."""


class DeviceUnavailable(Exception):
    """No usable microphone or speaker; ``str()`` is one sentence for the user."""


class Speaker(Protocol):
    """Something that speaks a sentence and returns when it has been said."""

    def say(self, text: str) -> None: ...

    def set_pace(self, factor: float) -> None:
        """1.0 is the chosen rate; 0.8 is a fifth slower."""

    def set_gain(self, gain: float) -> None:
        """1.0 is normal loudness."""


class Listener(Protocol):
    """Something that hears one answer, or notices commands while a step plays."""

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        """Wait for one answer of kind ``expect``; an empty Hearing means silence."""

    def wait(self, seconds: float) -> Hearing | None:
        """Let ``seconds`` pass; return early with a command or safety phrase if one is heard."""

    def confirmed(self, value: int) -> None:
        """The person said yes to "I heard ``value``": the last rating answer was that number."""


class Clock(Protocol):
    """Time as the session sees it: real, or virtual so tests and replays never wait."""

    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class Journal(Protocol):
    """Where sessions and ratings are kept; each call is durable when it returns."""

    def begin(self, session: str, started: datetime) -> int: ...

    def rating(self, session_id: int, round_no: int, value: int, at: datetime) -> None: ...

    def end(self, session_id: int, outcome: str, ended: datetime) -> None: ...
