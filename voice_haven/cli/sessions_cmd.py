"""``voice-haven sessions``: what sessions there are."""

from __future__ import annotations

import json

import click

from .. import script
from .errors import friendly


@click.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of sessions.")
@friendly
def sessions(as_json: bool) -> None:
    """List the sessions you can start with --session NAME.

    \b
    Example:
      voice-haven sessions --json
    """
    found = [script.load(name) for name in script.available()]
    if as_json:
        rows = [
            {
                "name": s.name,
                "title": s.title,
                "description": s.description,
                "minutes": s.minutes,
                "max_rounds": s.max_rounds,
                "stop_at": s.stop_at,
            }
            for s in found
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for s in found:
        click.echo(f"{s.name:<8} {s.minutes:>4.0f} min  {s.description}")
