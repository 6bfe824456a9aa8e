"""``voice-haven transcribe``: what the device would hear in recorded answers.

Each file goes through the same path as a replayed answer in a session
(padding, resampling, endpointing, the grammar of that kind of prompt and
the recognizer's thresholds), so a result here is the result a session
would get. Useful to check a microphone recording, a model, or an accent.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .errors import friendly
from .main import DATA_DIR

EXPECTS = ("rating", "yes_no", "between", "command", "any")


@click.command()
@click.option(
    "--expect",
    type=click.Choice(EXPECTS),
    default="any",
    show_default=True,
    help="The kind of prompt: rating (0-10 and commands), yes_no, between (commands "
    "while a step plays), command, or any (everything).",
)
@click.option(
    "--recognizer",
    type=click.Choice(["auto", "vosk", "sphinx"]),
    default="auto",
    show_default=True,
    help="Speech recognizer.",
)
@click.option("--model", type=click.Path(path_type=Path), help="Vosk model folder.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line and file.")
@DATA_DIR
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@friendly
def transcribe(
    expect: str,
    recognizer: str,
    model: Path | None,
    as_json: bool,
    data_dir: Path | None,
    files: tuple[Path, ...],
) -> None:
    """Say what was heard in each WAV FILE, as a session would hear it.

    A file that cannot be read is named with the problem; the others are
    still transcribed, and the exit status is 1.

    \b
    Examples:
      voice-haven transcribe --expect rating answer.wav
      voice-haven transcribe --json --expect command *.wav
      voice-haven transcribe --recognizer vosk --model ~/vosk-model-small-en-us-0.15 a.wav
    """
    from .. import paths
    from ..audio.listener import hear_recording
    from ..audio.wavfile import AudioFileError, read_wav
    from ..engine import EngineSettings
    from ..recognition.base import RecognizerUnavailable
    from ..recognition.select import choose
    from ..runner import UserError
    from ..vocabulary import Expect, Intent

    try:
        chosen = choose(recognizer, model, paths.data_dir(data_dir)).recognizer
    except RecognizerUnavailable as exc:
        raise UserError(str(exc)) from None
    kind = Expect(expect)
    asks = EngineSettings()
    failed = False
    for file in files:
        try:
            hearing = hear_recording(chosen, read_wav(file), kind)
        except AudioFileError as exc:
            failed = True
            if as_json:
                click.echo(json.dumps({"file": str(file), "error": str(exc)}))
            else:
                click.echo(str(exc), err=True)
            continue
        if as_json:
            click.echo(json.dumps({"file": str(file), **hearing.as_json()}, ensure_ascii=False))
            continue
        if hearing.understood:
            meaning = f"{hearing.intent.value} {hearing.value}"  # type: ignore[union-attr]
        else:
            meaning = "heard speech, but no answer" if hearing.speech else "nothing heard"
        if hearing.guess is not None and hearing.value != hearing.guess:
            meaning += f", or perhaps {hearing.guess}: a session would ask"
        if hearing.intent is Intent.SAFETY and hearing.confidence < asks.confirm_help_below:
            meaning += ": a session would ask whether this is a call for help"
        said = f'"{hearing.text}" -> ' if hearing.text else ""
        click.echo(f"{file}: {said}{meaning} (confidence {hearing.confidence:.2f})")
    if failed:
        raise SystemExit(1)
