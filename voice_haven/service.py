"""The bedside service: wait for the wake phrase, ask which session, guide it, wait again.

It runs for weeks on a small Pi, so the idle path is the one that matters:
waiting for the wake phrase is an ordinary listening turn, in which only the
cheap energy endpointer looks at the audio until someone speaks (see
``audio.endpoint``); the recognizer is started only for an utterance.

Like the engine, it sees the world only through ports (a listener, a
speaker, a clock) and a few callables given by ``runner``, which knows the
adapters. Sessions are run by ``runner.guide``, the same code as
``voice-haven --session``.

What the log says: one line per event (listening, woke, session started and
its outcome, microphone lost, each attempt to get it back). Never what was
said, beyond the session's name and outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from .care import Care
from .engine import EngineSettings, give_crisis_care, help_meant
from .ports import Clock, DeviceUnavailable, InputClosed, Listener, Speaker
from .vocabulary import DEFAULT_WAKE, USUAL, Expect, Hearing, Intent, help_text

log = logging.getLogger(__name__)

CONFIRM_HELP_BELOW = EngineSettings().confirm_help_below
"""Calls for help heard with less confidence are asked about, as in a session."""

QUESTION = "Which session would you like: face, arms, palms, or the usual?"
NOT_A_CHOICE = "Sorry, which one: face, arms, palms, or the usual?"
SILENCE = "Just say face, arms, palms, or the usual, whenever you are ready."
NOT_NOW = "All right. I'm here whenever you need me."


class _Turn(Enum):
    IDLE = "nothing to act on: keep waiting"
    WOKE = "something happened: say so when waiting again"
    DONE = "nothing more will ever be heard"


class Ears(Listener, Protocol):
    """A listener the service can close when its microphone is lost."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class ServiceSettings:
    wake: str = DEFAULT_WAKE
    """The phrase that wakes the service (``--wake``)."""

    session: str | None = None
    """Start this session straight after the wake phrase instead of asking (``--session``)."""

    max_sessions: int | None = None
    """Stop after this many sessions (``--max-sessions``); None runs until stopped."""

    wake_turn: float = 30.0
    """Seconds per wake-listening turn; a turn with nothing said just starts again."""

    answer_timeout: float = 10.0
    """Seconds to wait for the session choice before asking again."""

    tries: int = 3
    """Times the choice is asked before the service goes back to waiting."""

    retry_first: float = 1.0
    """Seconds before the first attempt to open a lost microphone again."""

    retry_longest: float = 60.0
    """The wait between attempts doubles up to this many seconds."""


@dataclass
class Bedside:
    """What the service works with; ``runner`` builds it from the options."""

    speaker: Speaker
    clock: Clock
    open_ears: Callable[[], Ears]
    """Open the microphone (or the replay); raises ``DeviceUnavailable`` when it is missing."""

    guide: Callable[[str, Listener], str]
    """Run the named session on this listener; returns its outcome."""

    usual: Callable[[], str]
    """The session "the usual" means: the last one done."""

    care: Callable[[], Care]
    """Words of care for the person's country and contact, read afresh each time."""

    finished: Callable[[], bool] = lambda: False
    """True when no more audio will ever come (replayed answers used up)."""


class Service:
    def __init__(self, bedside: Bedside, settings: ServiceSettings | None = None) -> None:
        self.bedside = bedside
        self.settings = settings or ServiceSettings()
        self.sessions = 0

    def run(self) -> int:
        """Serve until ``max_sessions`` or the replayed answers run out; returns sessions run."""
        ears = self._connect(lost=False)
        self._waiting()
        try:
            while not self._enough():
                try:
                    turn = self._once(ears)
                except InputClosed:
                    ears.close()
                    ears = self._connect(lost=True)
                    turn = _Turn.WOKE
                if turn is _Turn.DONE:
                    break
                if turn is _Turn.WOKE and not self._enough():
                    self._waiting()
        finally:
            ears.close()
        return self.sessions

    def _enough(self) -> bool:
        limit = self.settings.max_sessions
        return limit is not None and self.sessions >= limit

    def _waiting(self) -> None:
        log.info('Listening for "%s".', self.settings.wake)

    def _once(self, ears: Ears) -> _Turn:
        """One wake turn, and the session it leads to."""
        heard = ears.listen(Expect.WAKE, self.settings.wake_turn)
        if heard.intent is Intent.SAFETY:
            return _Turn.WOKE if self._crisis(ears, heard) else _Turn.IDLE
        if heard.intent is not Intent.WAKE:
            if self.bedside.finished():
                log.info("No more replayed answers; stopping.")
                return _Turn.DONE
            return _Turn.IDLE
        log.info("Woke.")
        session = self.settings.session or self._choose(ears)
        if session is not None:
            log.info("Session %s started.", session)
            outcome = self.bedside.guide(session, ears)
            self.sessions += 1
            log.info("Session %s ended: %s.", session, outcome)
        return _Turn.WOKE

    def _choose(self, ears: Ears) -> str | None:
        """Ask which session; None when the person says stop or does not answer."""
        speaker = self.bedside.speaker
        speaker.say(QUESTION)
        for _ in range(self.settings.tries):
            heard = ears.listen(Expect.CHOICE, self.settings.answer_timeout)
            if heard.intent is Intent.CHOICE:
                return self.bedside.usual() if heard.value == USUAL else str(heard.value)
            if heard.intent is Intent.SAFETY and self._crisis(ears, heard):
                return None
            if heard.is_command("stop", "no"):
                break
            speaker.say(self._reprompt(heard))
        speaker.say(NOT_NOW)
        log.info("No session chosen.")
        return None

    @staticmethod
    def _reprompt(heard: Hearing) -> str:
        if heard.is_command("help"):
            return help_text(Expect.CHOICE)
        if heard.is_command("repeat"):
            return QUESTION
        return NOT_A_CHOICE if heard.speech else SILENCE

    def _crisis(self, ears: Ears, heard: Hearing) -> bool:
        """A call for help outside a session is answered as inside one; False if not meant."""
        care, speaker = self.bedside.care(), self.bedside.speaker
        timeout = self.settings.answer_timeout
        if not help_meant(heard, care, speaker, ears, timeout, CONFIRM_HELP_BELOW):
            log.info("A doubtful call for help was not meant.")
            return False
        log.warning("A call for help was heard; the crisis line was given.")
        give_crisis_care(care, speaker, ears, self.bedside.clock, timeout * 2)
        return True

    def _connect(self, lost: bool) -> Ears:
        """Open the microphone, retrying with a doubling wait; one log line per attempt."""
        wait = self.settings.retry_first
        if lost:
            log.warning("The microphone stopped working; trying again in %s.", _seconds(wait))
            self.bedside.clock.sleep(wait)
            wait = min(wait * 2, self.settings.retry_longest)
        while True:
            try:
                ears = self.bedside.open_ears()
            except DeviceUnavailable as exc:
                log.warning("%s Trying again in %s.", exc, _seconds(wait))
                self.bedside.clock.sleep(wait)
                wait = min(wait * 2, self.settings.retry_longest)
                continue
            if lost:
                log.info("The microphone is back.")
            return ears


def _seconds(value: float) -> str:
    return f"{value:g} s"
