"""``voice-haven history``: past sessions and their ratings."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from .. import paths
from ..journal import SessionRecord, open_journal
from .errors import friendly
from .main import DATA_DIR

CSV_COLUMNS = ("session_id", "session", "started", "outcome", "round", "value", "at")


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


def _csv(records: list[SessionRecord]) -> None:
    """One row per rating, so a spreadsheet can chart or average them freely."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        for rating in r.ratings:
            writer.writerow(
                (r.id, r.session, r.started, r.outcome, rating.round, rating.value, rating.at)
            )


def _plot(records: list[SessionRecord], target: Path) -> None:
    from ..history_plot import draw

    shown = draw(records, target)
    noun = "session" if shown == 1 else "sessions"
    click.echo(f"Wrote a chart of {shown} {noun} to {target}.")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of sessions, oldest first.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per rating, oldest first.")
@click.option(
    "--plot",
    "plot_to",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE.png",
    help="Draw ratings before and after each session into a PNG (needs voice-haven[plot]).",
)
@DATA_DIR
@friendly
def history(as_json: bool, as_csv: bool, plot_to: Path | None, data_dir: Path | None) -> None:
    """Show past sessions: before and after ratings, and how each ended.

    \b
    Examples:
      voice-haven history
      voice-haven history --json
      voice-haven history --csv > ratings.csv
      voice-haven history --plot ratings.png
    """
    if as_json + as_csv + (plot_to is not None) > 1:
        raise click.UsageError("Choose one of --json, --csv or --plot.")
    journal = open_journal(paths.data_dir(data_dir))
    try:
        records = journal.sessions()
    finally:
        journal.close()
    if as_json:
        click.echo(json.dumps([r.as_json() for r in records], indent=2))
    elif as_csv:
        _csv(records)
    elif plot_to is not None:
        _plot(records, plot_to)
    else:
        _table(records)
