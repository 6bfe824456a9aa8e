"""The session journal: SQLite in the data directory, durable at every rating.

Each write is its own committed transaction with ``synchronous=FULL``, so a
rating is on disk before the guide speaks again, and a process killed at any
moment loses nothing already said. A session starts as ``interrupted`` and is
only changed when it ends properly, so a killed session reads as what it was.
The file is private (0600 in a 0700 directory): it describes someone's distress.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

JOURNAL_NAME = "journal.sqlite3"

OUTCOMES = ("completed", "stopped", "no-response", "crisis", "interrupted")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    session TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    outcome TEXT NOT NULL DEFAULT 'interrupted'
);
CREATE TABLE IF NOT EXISTS ratings (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    round INTEGER NOT NULL,
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
    at TEXT NOT NULL
);
"""


class JournalError(Exception):
    """The journal cannot be used; ``str()`` is one sentence for the user."""


@dataclass
class Rating:
    round: int
    value: int
    at: str


@dataclass
class SessionRecord:
    id: int
    session: str
    started: str
    ended: str | None
    outcome: str
    ratings: list[Rating] = field(default_factory=list)

    @property
    def before(self) -> int | None:
        return self.ratings[0].value if self.ratings else None

    @property
    def after(self) -> int | None:
        return self.ratings[-1].value if len(self.ratings) > 1 else None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "session": self.session,
            "started": self.started,
            "ended": self.ended,
            "outcome": self.outcome,
            "ratings": [{"round": r.round, "value": r.value, "at": r.at} for r in self.ratings],
        }


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class SqliteJournal:
    """The ``ports.Journal`` kept in ``data_dir/journal.sqlite3``."""

    def __init__(self, data_dir: Path) -> None:
        self.path = private_dir(data_dir) / JOURNAL_NAME
        self.moved_aside: Path | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            self.moved_aside = self._move_aside()
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        self.path.chmod(0o600)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            db.execute("PRAGMA synchronous=FULL")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"journal.corrupt-{stamp}.sqlite3")
        self.path.rename(aside)
        return aside

    def close(self) -> None:
        self._db.close()

    def begin(self, session: str, started: datetime) -> int:
        cursor = self._db.execute(
            "INSERT INTO sessions (session, started) VALUES (?, ?)", (session, _stamp(started))
        )
        return int(cursor.lastrowid or 0)

    def rating(self, session_id: int, round_no: int, value: int, at: datetime) -> None:
        self._db.execute(
            "INSERT INTO ratings (session_id, round, value, at) VALUES (?, ?, ?, ?)",
            (session_id, round_no, value, _stamp(at)),
        )

    def end(self, session_id: int, outcome: str, ended: datetime) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        self._db.execute(
            "UPDATE sessions SET ended = ?, outcome = ? WHERE id = ?",
            (_stamp(ended), outcome, session_id),
        )

    def last_session(self) -> str | None:
        """The name of the session started most recently, None before the first."""
        row = self._db.execute(
            "SELECT session FROM sessions ORDER BY started DESC, id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else str(row[0])

    def sessions(self) -> list[SessionRecord]:
        """Every session, oldest first, each with its ratings in the order given."""
        records = {
            row[0]: SessionRecord(*row)
            for row in self._db.execute(
                "SELECT id, session, started, ended, outcome FROM sessions ORDER BY started, id"
            )
        }
        for session_id, round_no, value, at in self._db.execute(
            "SELECT session_id, round, value, at FROM ratings ORDER BY id"
        ):
            if session_id in records:
                records[session_id].ratings.append(Rating(round_no, value, at))
        return list(records.values())


def open_journal(data_dir: Path) -> SqliteJournal:
    """Open the journal, turning file-system trouble into one clear sentence."""
    try:
        return SqliteJournal(data_dir)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise JournalError(
            f"The journal in {data_dir} cannot be opened ({reason}); "
            "check that the folder exists and is yours, or choose another with --data-dir."
        ) from None
