"""``voice-haven voices``: the voices a session can speak with."""

from __future__ import annotations

import json

import click

from ..speech.voices import catalog
from .errors import friendly


@click.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of voices.")
@friendly
def voices(as_json: bool) -> None:
    """List the voices you can choose with --voice NAME.

    pyttsx3 voices (espeak-ng) are light and clear; natural voices (hibari)
    sound warmer and need more processing. Run 'voice-haven prepare' after
    choosing one, so every sentence is ready before you need it.

    \b
    Examples:
      voice-haven voices
      voice-haven voices --json
      voice-haven --session face --voice hibari-heart
    """
    found = catalog()
    if as_json:
        click.echo(json.dumps([v.as_json() for v in found], indent=2))
        return
    width = max(len(v.name) for v in found)
    for v in found:
        click.echo(f"{v.name:<{width}}  {v.engine:<7}  {v.language:<15} {v.description}")
