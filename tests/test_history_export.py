"""``history --csv`` and ``history --plot``: ratings leave the journal intact and readable."""

from __future__ import annotations

import csv
import io
import struct
import sys
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from voice_haven.cli import main
from voice_haven.history_plot import PlotError, draw, points
from voice_haven.journal import SqliteJournal


def _typed_session(data_dir, session: str, answers: str) -> None:
    result = CliRunner().invoke(
        main,
        ["--session", session, "--text", "--no-wait", "--data-dir", str(data_dir)],
        input=answers,
    )
    assert result.exit_code == 0, result.output


@pytest.fixture
def rated(tmp_path):
    """A typed face session rated 7, 3, 1, plus one left after one rating."""
    _typed_session(tmp_path, "face", "7\nyes\n3\nyes\n1\n")
    _typed_session(tmp_path, "arms", "8\n")
    return tmp_path


def _history(*args: str):
    return CliRunner().invoke(main, ["history", *args])


def test_csv_has_one_row_per_rating_with_a_value_column(rated):
    result = _history("--csv", "--data-dir", str(rated))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["session_id", "session", "started", "outcome", "round", "value", "at"]
    face = [r for r in rows if r["session"] == "face"]
    assert [r["value"] for r in face] == ["7", "3", "1"]
    assert [r["round"] for r in face] == ["0", "1", "2"]
    assert {r["outcome"] for r in face} == {"completed"}
    assert {r["session_id"] for r in face} == {"1"}
    arms = [r for r in rows if r["session"] == "arms"]
    assert [(r["session_id"], r["value"], r["outcome"]) for r in arms] == [
        ("2", "8", "no-response")
    ]
    datetime.fromisoformat(face[0]["at"])


def test_csv_of_an_empty_journal_is_just_the_header(tmp_path):
    result = _history("--csv", "--data-dir", str(tmp_path))
    assert result.output == "session_id,session,started,outcome,round,value,at\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_plot_writes_a_png_and_says_where(rated, tmp_path):
    target = tmp_path / "p.png"
    result = _history("--plot", str(target), "--data-dir", str(rated))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote a chart of 2 sessions to {target}."
    width, height = _png_size(target.read_bytes())
    assert width >= 800 and height >= 400
    assert target.stat().st_size > 20_000


def test_plot_with_no_ratings_is_one_sentence(tmp_path):
    result = _history("--plot", str(tmp_path / "p.png"), "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "There are no ratings to draw yet; the chart appears after your first session."
    )
    assert not (tmp_path / "p.png").exists()


def test_plot_into_a_missing_folder_is_one_sentence(rated, tmp_path):
    target = tmp_path / "no" / "such" / "p.png"
    result = _history("--plot", str(target), "--data-dir", str(rated))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith(f"The chart could not be saved to {target}")


def test_plot_without_matplotlib_says_how_to_install_it(rated, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = _history("--plot", str(tmp_path / "p.png"), "--data-dir", str(rated))
    assert result.exit_code == 1
    assert "pip install 'voice-haven[plot]'" in result.output
    assert "Traceback" not in result.output


def test_only_one_output_format_at_a_time(rated):
    result = _history("--csv", "--json", "--data-dir", str(rated))
    assert result.exit_code == 2
    assert "Choose one of --json, --csv or --plot." in result.output


def test_chart_points_are_first_and_last_rating_in_local_time(tmp_path):
    journal = SqliteJournal(tmp_path)
    start = datetime(2026, 3, 1, 21, 0, tzinfo=UTC)
    for day, ratings in enumerate([[9, 6, 2], [5], []]):
        at = start + timedelta(days=day)
        sid = journal.begin("palms", at)
        for round_no, value in enumerate(ratings):
            journal.rating(sid, round_no, value, at)
        journal.end(sid, "completed", at)
    shown = points(journal.sessions())
    assert [(p.before, p.after) for p in shown] == [(9, 2), (5, None)]
    assert shown[0].started == start.astimezone().replace(tzinfo=None)
    assert draw(journal.sessions(), tmp_path / "chart.png") == 2
    journal.close()
    with pytest.raises(PlotError, match="no ratings"):
        draw([], tmp_path / "none.png")
