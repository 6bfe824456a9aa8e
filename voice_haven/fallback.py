"""Keeps a session going when the microphone is lost mid-session.

A bedside USB microphone can be knocked out. Rather than ending abruptly,
the device says what happened and, when someone is at a terminal, carries
on with typed answers; otherwise the engine ends the session, saved.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .ports import Listener, MicrophoneLost, Speaker
from .vocabulary import Expect, Hearing

LOST = "I can no longer hear the microphone."
TYPE_INSTEAD = "You can type your answers here instead, one per line."


class TypedFallback:
    """A listener that hands over to typed answers when its microphone is lost."""

    def __init__(
        self,
        primary: Listener,
        speaker: Speaker,
        typed: Callable[[], Listener],
        has_terminal: Callable[[], bool] = sys.stdin.isatty,
    ) -> None:
        self.current = primary
        self.speaker = speaker
        self.typed = typed
        self.has_terminal = has_terminal
        self.switched = False

    def _switch(self, lost: MicrophoneLost) -> None:
        if self.switched or not self.has_terminal():
            self.speaker.say(f"{LOST} Everything you said is saved.")
            raise lost
        self.speaker.say(f"{LOST} {TYPE_INSTEAD}")
        self.current = self.typed()
        self.switched = True

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        try:
            return self.current.listen(expect, timeout)
        except MicrophoneLost as lost:
            self._switch(lost)
            return self.current.listen(expect, timeout)

    def confirmed(self, value: int) -> None:
        self.current.confirmed(value)

    def wait(self, seconds: float) -> Hearing | None:
        try:
            return self.current.wait(seconds)
        except MicrophoneLost as lost:
            self._switch(lost)
            return self.current.wait(seconds)
