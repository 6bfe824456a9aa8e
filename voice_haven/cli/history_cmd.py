"""``voice-haven history``: past sessions and their ratings."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import paths
from ..journal import SessionRecord, open_journal
from .errors import friendly
from .main import DATA_DIR


def _table(records: list[SessionRecord]) -> None:
    if not records:
        click.echo("No sessions yet. Start one with: voice-haven --session face")
        return
    click.echo(f"{'session':<10} {'date':<17} {'before -> after':<16} {'change':>6}  outcome")
    for r in records:
        before = "-" if r.before is None else str(r.before)
        after = "-" if r.after is None else str(r.after)
        change = "" if r.before is None or r.after is None else f"{r.after - r.before:+d}"
        date = r.started.replace("T", " ")[:16]
        span = f"{before} -> {after}"
        click.echo(f"{r.session:<10} {date:<17} {span:<16} {change:>6}  {r.outcome}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of sessions, oldest first.")
@DATA_DIR
@friendly
def history(as_json: bool, data_dir: Path | None) -> None:
    """Show past sessions: before and after ratings, and how each ended.

    \b
    Examples:
      voice-haven history
      voice-haven history --json
    """
    journal = open_journal(paths.data_dir(data_dir))
    try:
        records = journal.sessions()
    finally:
        journal.close()
    if as_json:
        click.echo(json.dumps([r.as_json() for r in records], indent=2))
    else:
        _table(records)
