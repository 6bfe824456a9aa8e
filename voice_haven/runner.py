"""Runs one session: picks the adapters for the options, then hands over to the engine.

This is the only place that knows which concrete speaker, listener, clock and
journal a run uses. Audio modules are imported here lazily, so a typed
session starts fast and never loads recognizers or sound libraries.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

from . import paths, script
from .care import Care, country_from_locale
from .clock import RealClock, VirtualClock
from .engine import EngineSettings, SessionEngine
from .fallback import TypedFallback
from .floor import Floor
from .journal import open_journal
from .options import RunOptions
from .ports import Clock, DeviceUnavailable, Listener, Speaker
from .settings import Settings, load_settings, save_settings
from .typed import CaptionSpeaker, TypedListener
from .vocabulary import Expect, Hearing


class UserError(Exception):
    """A problem the person can fix; ``str()`` is one sentence. ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class _Terminated(Exception):
    pass


@dataclass
class Wiring:
    speaker: Speaker
    listener: Listener
    clock: Clock
    notes: list[str]
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


class CuedListener:
    """Plays the soft "your turn" tone before each answer turn (not during pauses).

    With eyes closed, the tone is how a person knows the device is now listening.
    """

    def __init__(self, inner: Listener, cue: Callable[[], None]) -> None:
        self.inner = inner
        self.cue = cue

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        self.cue()
        return self.inner.listen(expect, timeout)

    def wait(self, seconds: float) -> Hearing | None:
        return self.inner.wait(seconds)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _typed(options: RunOptions, notes: list[str]) -> Wiring:
    clock: Clock = VirtualClock() if options.no_wait else RealClock()
    return Wiring(CaptionSpeaker(), TypedListener(clock), clock, notes)


def _audio(options: RunOptions, settings: Settings, session_pace: float) -> Wiring:
    from .listening import build_listener
    from .speech import build_speaker

    clock: Clock = VirtualClock() if options.replay or options.no_wait else RealClock()
    floor = Floor()
    listener, description = build_listener(options, clock, floor)
    try:
        speaker = build_speaker(options, settings, clock, floor)
    except BaseException:
        listener.close()
        raise
    speaker.set_session_pace(session_pace)
    captions = CaptionSpeaker(speaker)
    heard: Listener = CuedListener(listener, speaker.cue)
    if not options.replay:
        heard = TypedFallback(heard, captions, lambda: TypedListener(clock))
    return Wiring(captions, heard, clock, [description], [listener.close, speaker.close])


def wire(options: RunOptions, settings: Settings, session_pace: float = 1.0) -> Wiring:
    """Choose adapters; with no sound device, fall back to typed answers on a terminal.

    ``session_pace`` is the session's own slowness (bedtime); it slows the voice
    but, unlike "slower", is never saved as the person's preference.
    """
    if options.text:
        return _typed(options, [])
    try:
        return _audio(options, settings, session_pace)
    except DeviceUnavailable as exc:
        if options.replay or not sys.stdin.isatty():
            raise UserError(f"{exc} Use --text to type your answers instead.", 1) from None
        note = f"{exc} Carrying on with typed answers; type each answer and press Enter."
        return _typed(options, [note])


@contextmanager
def _graceful_signals() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so a service stop ends the session as ``interrupted``."""

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_session(options: RunOptions) -> int:
    """Run a session; return the process exit status."""
    try:
        session_script = script.load(options.session)
    except script.ScriptError as exc:
        raise UserError(str(exc)) from None
    data_dir = paths.data_dir(options.data_dir)
    settings = load_settings(data_dir)
    journal = open_journal(data_dir)
    if journal.moved_aside:
        _say(
            f"The journal was damaged, so it was moved aside to {journal.moved_aside} "
            "and a fresh one was started."
        )
    if options.country and options.country.upper() != (settings.country or ""):
        settings = settings.with_changes(country=options.country.upper())
        save_settings(data_dir, settings)
    wiring = wire(options, settings, session_script.pace)
    for note in wiring.notes:
        _say(note)
    care = Care(
        country=settings.country or country_from_locale(),
        contact=settings.contact_name,
        show_notice=not settings.notice_shown,
    )
    engine = SessionEngine(
        session_script,
        wiring.speaker,
        wiring.listener,
        wiring.clock,
        journal,
        care,
        EngineSettings(rounds=options.rounds),
    )
    try:
        with _graceful_signals():
            if not settings.notice_shown:
                save_settings(data_dir, settings.with_changes(notice_shown=True))
            engine.run()
    except (KeyboardInterrupt, _Terminated) as exc:
        engine.interrupt()
        _say("Session interrupted. Everything you said is saved.")
        return 143 if isinstance(exc, _Terminated) else 130
    finally:
        wiring.close()
        journal.close()
    return 0
