"""``voice-haven enroll``: teach the device how you say the numbers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import paths
from ..options import RunOptions
from .errors import friendly
from .main import DATA_DIR, audio_options

EPILOG = """\b
Examples:
  voice-haven enroll                   say zero to ten, twice, after the tone
  voice-haven enroll --takes 3         three rounds: more to learn from
  voice-haven enroll --forget          delete what was learned
  voice-haven enroll --audio-in takes/ learn from recorded WAV files, in name order
"""


@click.command(epilog=EPILOG)
@click.option(
    "--takes",
    type=click.IntRange(1, 5),
    default=2,
    show_default=True,
    help="How many times you say each number.",
)
@click.option(
    "--forget",
    is_flag=True,
    help="Delete the enrollment, and what was learned from numbers you confirmed.",
)
@DATA_DIR
@audio_options
@friendly
def enroll(takes: int, forget: bool, **options: object) -> None:
    """Say each number from zero to ten, so ratings are heard in your own voice.

    Helps most when the device often misses or mishears your numbers, for
    example with an accent the recognizer was not trained on. Only numbers
    change: "stop" and every other command are heard as before. What is kept
    describes how the numbers sound, not a recording of your voice. Say
    "stop" at any time; nothing changes then.
    """
    from ..recognition.templates import FILE_NAME
    from ..recognition.voice_memory import forget_memory

    run = RunOptions(**options)  # type: ignore[arg-type]
    folder = paths.data_dir(run.data_dir)
    if forget:
        path = folder / FILE_NAME
        existed = path.exists()
        path.unlink(missing_ok=True)
        click.echo("The enrollment is deleted." if existed else "There was no enrollment.")
        if forget_memory(folder):
            click.echo("What was learned from the numbers you confirmed is deleted too.")
        return
    raise SystemExit(_run(run, takes, folder))


def _run(options: RunOptions, takes: int, folder: Path) -> int:
    from ..clock import RealClock, VirtualClock
    from ..enrollment import enroll as lead
    from ..floor import Floor
    from ..listening import build_ear
    from ..runner import care_for, open_home, remember_voice
    from ..speech import build_speaker
    from ..typed import CaptionSpeaker

    home = open_home(options)
    home.journal.close()
    clock = VirtualClock() if options.replay else RealClock()
    floor = Floor()
    speaker = build_speaker(options, home.settings, clock, floor)
    remember_voice(home, options)
    try:
        ear, description = build_ear(options, clock, floor, speaker.cue)
    except BaseException:
        speaker.close()
        raise
    print(description, file=sys.stderr, flush=True)
    try:
        learned = lead(CaptionSpeaker(speaker), ear, takes, care_for(home.settings).crisis_message)
    except KeyboardInterrupt:
        print("Enrollment interrupted; nothing has changed.", file=sys.stderr)
        return 130
    finally:
        ear.close()
        speaker.close()
    if learned is None:
        return 1
    path = learned.save(folder)
    print(f"Learned {len(learned.takes)} of 11 numbers; saved in {path}.", file=sys.stderr)
    return 0
