"""The SQLite journal: durable, private, and never destroys a damaged file."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from voice_haven.journal import JournalError, SqliteJournal, open_journal
from voice_haven.settings import Settings, SettingsError, load_settings, save_settings

NOW = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)


def test_ratings_come_back_in_order(tmp_path: Path) -> None:
    journal = SqliteJournal(tmp_path)
    sid = journal.begin("face", NOW)
    for round_no, value in enumerate([7, 4, 1]):
        journal.rating(sid, round_no, value, NOW)
    journal.end(sid, "completed", NOW)
    journal.close()
    record = SqliteJournal(tmp_path).sessions()[-1]
    assert [r.value for r in record.ratings] == [7, 4, 1]
    assert record.as_json()["outcome"] == "completed"
    assert (record.before, record.after) == (7, 1)


def test_an_unended_session_reads_as_interrupted(tmp_path: Path) -> None:
    journal = SqliteJournal(tmp_path)
    journal.rating(journal.begin("arms", NOW), 0, 8, NOW)
    record = SqliteJournal(tmp_path).sessions()[-1]
    assert record.outcome == "interrupted" and record.ended is None


def test_journal_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    journal = SqliteJournal(data)
    journal.rating(journal.begin("face", NOW), 0, 5, NOW)
    save_settings(data, Settings(country="GB"))
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_a_corrupt_journal_is_moved_aside_with_its_bytes(tmp_path: Path) -> None:
    tmp_path.joinpath("journal.sqlite3").write_bytes(b"not a database at all" * 100)
    journal = SqliteJournal(tmp_path)
    assert journal.moved_aside is not None
    assert journal.moved_aside.read_bytes() == b"not a database at all" * 100
    assert journal.sessions() == []


def test_an_unusable_folder_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(JournalError, match="cannot be opened"):
        open_journal(blocker / "data")


def test_settings_round_trip_and_corruption(tmp_path: Path) -> None:
    save_settings(tmp_path, Settings(country="NZ", rate=120))
    assert load_settings(tmp_path) == Settings(country="NZ", rate=120)
    (tmp_path / "settings.json").write_text("{broken")
    with pytest.raises(SettingsError, match=r"settings\.json is damaged at line 1"):
        load_settings(tmp_path)
    (tmp_path / "settings.json").write_text('{"rate": "fast"}')
    with pytest.raises(SettingsError, match="'rate'"):
        load_settings(tmp_path)
