"""``voice-haven serve``: the bedside service (see ``service`` and docs/PI.md).

Its log goes to standard output, one flushed line per event, in the form
journald reads: no time stamp (journald adds it) and the sd-daemon level
prefix ``<6>`` (info), ``<4>`` (warning) or ``<3>`` (error), which journald
turns into the line's priority, so ``journalctl -p warning`` shows problems.
"""

from __future__ import annotations

import logging
import sys

import click

from ..options import RunOptions
from ..runner import UserError, run_service
from ..service import ServiceSettings
from ..vocabulary import DEFAULT_WAKE, normalize
from .errors import kind_errors
from .main import COUNTRY, DATA_DIR, audio_options

EPILOG = """\b
Examples:
  voice-haven serve                    wait for "hey haven", then ask which session
  voice-haven serve --session palms    start palms straight after "hey haven"
  voice-haven serve --input-device USB --output-device Headphones
  voice-haven serve --audio-in answers/ --audio-out heard.wav
                                       replay a wake phrase WAV, then the answers
"""


MAX_WAKE_WORDS = 5


class JournaldFormatter(logging.Formatter):
    """``<priority>message``: the sd-daemon prefix journald reads as the line's level."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno >= logging.ERROR:
            priority = 3
        elif record.levelno >= logging.WARNING:
            priority = 4
        else:
            priority = 6
        return f"<{priority}>{record.getMessage()}"


def log_to_stdout() -> None:
    """Send voice-haven's log (the service's and the microphone's) to standard output."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JournaldFormatter())
    logger = logging.getLogger("voice_haven")
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


def wake_phrase(text: str) -> str:
    """The wake phrase as the recognizers will hear it; a UserError if it cannot be one."""
    phrase = normalize(text)
    if not phrase or not all(word.replace("'", "").isalpha() for word in phrase.split()):
        raise UserError(f'The wake phrase "{text}" should be plain words, like "{DEFAULT_WAKE}".')
    if len(phrase.split()) > MAX_WAKE_WORDS:
        raise UserError(f"The wake phrase should be at most {MAX_WAKE_WORDS} words.")
    return phrase


@click.command(epilog=EPILOG)
@click.option(
    "--wake",
    default=DEFAULT_WAKE,
    show_default=True,
    help="The phrase that wakes the device.",
)
@click.option(
    "--session",
    help="Start this session (name or TOML file) straight after the wake phrase, "
    "instead of asking which one.",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1),
    help="Stop after this many sessions (default: run until stopped).",
)
@DATA_DIR
@click.option("--rounds", type=click.IntRange(1, 50), help="At most this many rounds.")
@COUNTRY
@audio_options
def serve(wake: str, session: str | None, max_sessions: int | None, **options: object) -> None:
    """Wait quietly for the wake phrase, guide a session, then wait again.

    After "hey haven" it asks "Which session would you like: face, arms,
    palms, or the usual?" ("the usual" is the one done last), or starts
    --session at once. "stop" ends a session, or goes back to waiting. A
    microphone that is unplugged is retried until it is back. With
    --audio-in it replays the wake phrase and the answers, then stops.
    This is what the systemd unit runs (see docs/PI.md).
    """
    log_to_stdout()
    with kind_errors():
        wanted = ServiceSettings(wake=wake_phrase(wake), session=session, max_sessions=max_sessions)
        raise SystemExit(run_service(RunOptions(**options), wanted))  # type: ignore[arg-type]
