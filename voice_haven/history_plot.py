"""A chart of past sessions: distress before and after each one, over time.

A person looking back wants to see at a glance whether sessions help: each
session is drawn as its first rating (before) joined to its last (after) at
the moment it started. matplotlib is an optional extra (``voice-haven[plot]``)
and heavy to import, so it is loaded only when a chart is asked for, with the
file-only Agg backend: the bedside device has no display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .journal import SessionRecord


class PlotError(Exception):
    """The chart cannot be drawn or saved; ``str()`` is one sentence for the user."""

    code = 1


@dataclass(frozen=True)
class SessionPoint:
    """One session as the chart sees it."""

    started: datetime
    session: str
    before: int
    after: int | None


def _local(stamp: str) -> datetime:
    """The journal keeps UTC; the chart shows the person's own clock time."""
    return datetime.fromisoformat(stamp).astimezone().replace(tzinfo=None)


def points(records: list[SessionRecord]) -> list[SessionPoint]:
    """Sessions with at least one rating; a session with one rating has no "after"."""
    return [
        SessionPoint(_local(r.started), r.session, r.before, r.after)
        for r in records
        if r.before is not None
    ]


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise PlotError(
            "Drawing charts needs matplotlib, which is not installed; "
            "install it with: pip install 'voice-haven[plot]'."
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def draw(records: list[SessionRecord], target: Path) -> int:
    """Write a PNG chart of ``records`` to ``target``; return how many sessions it shows."""
    shown = points(records)
    if not shown:
        raise PlotError(
            "There are no ratings to draw yet; the chart appears after your first session."
        )
    plt = _pyplot()
    import matplotlib.dates as mdates

    figure, axes = plt.subplots(figsize=(10, 5), dpi=110, layout="constrained")
    try:
        _draw_on(axes, shown, mdates)
        try:
            figure.savefig(target, format="png")
        except OSError as exc:
            raise PlotError(
                f"The chart could not be saved to {target} ({exc.strerror or exc}); "
                "choose a folder you can write to."
            ) from None
    finally:
        plt.close(figure)
    return len(shown)


def _draw_on(axes: Any, shown: list[SessionPoint], mdates: Any) -> None:
    times = [p.started for p in shown]
    for p in shown:
        if p.after is not None:
            colour = "#2e7d32" if p.after < p.before else "#9e9e9e"
            axes.annotate(
                "",
                xy=(p.started, p.after),
                xytext=(p.started, p.before),
                arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.4, "shrinkB": 4},
            )
    axes.scatter(
        times,
        [p.before for p in shown],
        s=90,
        facecolors="none",
        edgecolors="#c62828",
        linewidths=2,
        label="before",
        zorder=4,
    )
    with_after = [p for p in shown if p.after is not None]
    axes.scatter(
        [p.started for p in with_after],
        [p.after for p in with_after],
        s=40,
        color="#1565c0",
        label="after",
        zorder=3,
    )
    if len(shown) <= 12:
        for p in shown:
            axes.annotate(
                p.session,
                (p.started, p.before),
                textcoords="offset points",
                xytext=(6, 4),
                fontsize=8,
                color="#555555",
            )
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(11))
    axes.set_ylabel("distress (0 = none, 10 = worst)")
    axes.set_xlabel("when the session started")
    axes.set_title("voice-haven: distress before and after each session")
    axes.grid(True, axis="y", alpha=0.3)
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(set(times)) == 1:
        axes.set_xlim(times[0] - timedelta(hours=12), times[0] + timedelta(hours=12))
    from matplotlib.lines import Line2D

    handles, _ = axes.get_legend_handles_labels()
    change = Line2D([], [], color="#2e7d32", lw=1.4, label="change (green when lower)")
    axes.legend(handles=[*handles, change], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)
