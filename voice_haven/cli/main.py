"""``voice-haven``: run a session; the other commands hang off this group."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..options import RunOptions
from ..runner import run_session
from .errors import kind_errors

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = """\b
Examples:
  voice-haven --session face                 speak and listen (microphone and speaker)
  voice-haven --session palms --text         type your answers, read the captions
  voice-haven --session quick --text --no-wait
  voice-haven --session my-session.toml      a session file of your own
  voice-haven sessions                       list the sessions
  voice-haven history                        your past sessions and ratings
"""

DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the journal and settings live (default: $VOICE_HAVEN_HOME or "
    "$XDG_DATA_HOME/voice-haven).",
)


COUNTRY = click.option(
    "--country", metavar="CC", help="Country for the crisis line, e.g. US, GB, AU."
)

#: Where sound comes from and goes, and who speaks and listens: shared with ``serve``.
AUDIO_OPTIONS = (
    click.option(
        "--audio-in",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Replay answers from WAV files in this folder, one per answer, in name order.",
    ),
    click.option(
        "--audio-out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write everything you would hear into this WAV file instead of playing it.",
    ),
    click.option(
        "--recognizer",
        type=click.Choice(["auto", "vosk", "sphinx"]),
        default="auto",
        show_default=True,
        help="Speech recognizer.",
    ),
    click.option("--model", type=click.Path(path_type=Path), help="Vosk model folder."),
    click.option(
        "--voice", help="Voice name (see 'voice-haven voices'); remembered for next time."
    ),
    click.option("--rate", type=click.IntRange(60, 300), help="Speech rate in words per minute."),
    click.option("--input-device", help="Microphone name or index (see 'voice-haven devices')."),
    click.option("--output-device", help="Speaker name or index (see 'voice-haven devices')."),
    click.option(
        "--cue/--no-cue",
        default=None,
        help="A soft tone when it is your turn to answer; remembered.",
    ),
)


def audio_options(command: F) -> F:
    for option in reversed(AUDIO_OPTIONS):
        command = option(command)
    return command


@click.group(invoke_without_command=True, epilog=EPILOG)
@click.option("--session", default="face", show_default=True, help="Session name or TOML file.")
@click.option("--text", is_flag=True, help="Type answers; prompts are printed as captions.")
@click.option("--no-wait", is_flag=True, help="Do not wait out pauses (virtual clock).")
@DATA_DIR
@click.option("--rounds", type=click.IntRange(1, 50), help="At most this many rounds.")
@COUNTRY
@audio_options
@click.version_option(package_name="voice-haven")
@click.pass_context
def main(ctx: click.Context, **options: object) -> None:
    """Offline, voice-guided self-havening: a gentle self-help relaxation practice.

    With no command, runs a session: it guides you by voice through rounds of
    soothing touch, counting, humming, eye movements and a slow breath, and
    asks you to rate your distress from 0 to 10 before and after each round.
    Say "stop" at any time. This is not therapy and not emergency care.
    """
    if ctx.invoked_subcommand is not None:
        return
    with kind_errors():
        ctx.exit(run_session(RunOptions(**options)))  # type: ignore[arg-type]
