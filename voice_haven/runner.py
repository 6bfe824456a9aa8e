"""Runs a session, or the bedside service: picks the adapters, then hands over.

This is the only place that knows which concrete speaker, listener, clock and
journal a run uses. A session goes to the engine; ``serve`` goes to
``service``, which runs each session through ``guide``, the same code.
Audio modules are imported here lazily, so a typed session starts fast and
never loads recognizers or sound libraries.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from . import paths, script
from .care import Care, country_from_locale
from .clock import RealClock, VirtualClock
from .engine import EngineSettings, SessionEngine
from .fallback import TypedFallback
from .floor import Floor
from .journal import SqliteJournal, open_journal
from .options import RunOptions
from .ports import Clock, DeviceUnavailable, Listener, Speaker
from .service import Bedside, Service, ServiceSettings
from .service import log as service_log
from .settings import Settings, load_settings, save_settings
from .typed import CaptionSpeaker, TypedListener
from .vocabulary import Expect, Hearing

DEFAULT_SESSION = "face"
"""What "the usual" means before any session has been done."""


class UserError(Exception):
    """A problem the person can fix; ``str()`` is one sentence. ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class Terminated(Exception):
    """SIGTERM arrived (``systemctl stop``); raised where the process was."""


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
    Waiting for the wake phrase is not a turn: a tone every half minute at night
    would be anything but soothing.
    """

    def __init__(
        self, inner: Listener, cue: Callable[[], None], close: Callable[[], None] = lambda: None
    ) -> None:
        self.inner = inner
        self.cue = cue
        self.close = close

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        if expect is not Expect.WAKE:
            self.cue()
        return self.inner.listen(expect, timeout)

    def wait(self, seconds: float) -> Hearing | None:
        return self.inner.wait(seconds)

    def confirmed(self, value: int) -> None:
        self.inner.confirmed(value)


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
def graceful_signals() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so a service stop ends the session as ``interrupted``."""

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class Home:
    """The data directory, its settings and its open journal, shared by every session of a run."""

    data_dir: Path
    settings: Settings
    journal: SqliteJournal


def open_home(options: RunOptions, note: Callable[[str], None] = _say) -> Home:
    """Open the journal and settings, remembering ``--country`` for next time."""
    data_dir = paths.data_dir(options.data_dir)
    settings = load_settings(data_dir)
    journal = open_journal(data_dir)
    if journal.moved_aside:
        note(
            f"The journal was damaged, so it was moved aside to {journal.moved_aside} "
            "and a fresh one was started."
        )
    if options.country and options.country.upper() != (settings.country or ""):
        settings = settings.with_changes(country=options.country.upper())
        save_settings(data_dir, settings)
    return Home(data_dir, settings, journal)


def remember_voice(home: Home, options: RunOptions) -> None:
    """Keep ``--voice`` and ``--cue/--no-cue`` for next time.

    The voice is looked up first, so a misspelt name is reported (even in a
    typed session, which never loads it) and never becomes the saved choice.
    """
    from .speech.voices import find_voice

    changes: dict[str, object] = {}
    if options.voice and options.voice != home.settings.voice:
        changes["voice"] = find_voice(options.voice).name
    if options.cue is not None and options.cue != home.settings.cue:
        changes["cue"] = options.cue
    if changes:
        save_settings(home.data_dir, load_settings(home.data_dir).with_changes(**changes))


def care_for(settings: Settings) -> Care:
    return Care(
        country=settings.country or country_from_locale(),
        contact=settings.contact_name,
        show_notice=not settings.notice_shown,
    )


def guide(
    session_script: script.Script,
    speaker: Speaker,
    listener: Listener,
    clock: Clock,
    home: Home,
    engine_settings: EngineSettings | None = None,
) -> str:
    """Run one session on these adapters and return its outcome.

    Settings are read again for every session, so a long-running service sees
    the notice already given and a contact set since it started. Ctrl-C and
    SIGTERM (inside ``graceful_signals``) end the session as interrupted and
    then propagate to the caller.
    """
    settings = load_settings(home.data_dir)
    care = care_for(settings)
    engine = SessionEngine(
        session_script, speaker, listener, clock, home.journal, care, engine_settings
    )
    try:
        if not settings.notice_shown:
            save_settings(home.data_dir, settings.with_changes(notice_shown=True))
        return engine.run()
    except (KeyboardInterrupt, Terminated):
        engine.interrupt()
        raise


def run_session(options: RunOptions) -> int:
    """Run a session; return the process exit status."""
    session_script = _load_script(options.session)
    home = open_home(options)
    wiring = wire(options, home.settings, session_script.pace)
    remember_voice(home, options)
    for note in wiring.notes:
        _say(note)
    try:
        with graceful_signals():
            guide(
                session_script,
                wiring.speaker,
                wiring.listener,
                wiring.clock,
                home,
                EngineSettings(rounds=options.rounds),
            )
    except (KeyboardInterrupt, Terminated) as exc:
        _say("Session interrupted. Everything you said is saved.")
        return 143 if isinstance(exc, Terminated) else 130
    finally:
        wiring.close()
        home.journal.close()
    return 0


def run_service(options: RunOptions, wanted: ServiceSettings) -> int:
    """Serve at the bedside until stopped; return the process exit status.

    Unlike a session it prints no captions: its output is the service log,
    and the log must not hold what was said. Replay (``--audio-in``) stops
    when the answers run out, so it can be tested.
    """
    from .audio.listener import AudioListener
    from .audio.sources import AudioSource, ReplaySource
    from .listening import load_recognizer, open_source
    from .speech import build_speaker

    if wanted.session:
        _load_script(wanted.session)  # a wrong --session is reported now, not at night
    home = open_home(options, note=service_log.warning)
    choice = load_recognizer(options, wanted.wake)
    clock: Clock = VirtualClock() if options.replay else RealClock()
    floor = Floor()
    speaker = build_speaker(options, home.settings, clock, floor)
    remember_voice(home, options)
    sources: list[AudioSource] = []

    def open_ears() -> CuedListener:
        source, where = open_source(options)
        sources.append(source)
        service_log.info("Listening with %s%s.", choice.description, where)
        listener = AudioListener(source, choice.recognizer, clock, floor)
        return CuedListener(listener, speaker.cue, listener.close)

    def run_one(name: str, listener: Listener) -> str:
        session_script = _load_script(name)
        speaker.new_session(session_script.pace)
        settings = EngineSettings(rounds=options.rounds)
        return guide(session_script, speaker, listener, clock, home, settings)

    def usual() -> str:
        last = home.journal.last_session()
        try:
            return _load_script(last).name if last else DEFAULT_SESSION
        except UserError:
            return DEFAULT_SESSION

    def finished() -> bool:
        return isinstance(sources[-1], ReplaySource) and sources[-1].remaining == 0

    bedside = Bedside(
        speaker, clock, open_ears, run_one, usual, lambda: care_for(load_settings(home.data_dir)),
        finished,
    )  # fmt: skip
    try:
        with graceful_signals():
            Service(bedside, wanted).run()
    except Terminated:
        service_log.info("Stopped.")
    except KeyboardInterrupt:
        service_log.info("Interrupted.")
        return 130
    finally:
        speaker.close()
        home.journal.close()
    return 0


def _load_script(name: str) -> script.Script:
    try:
        return script.load(name)
    except script.ScriptError as exc:
        raise UserError(str(exc)) from None
