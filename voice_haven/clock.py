"""Real and virtual clocks (see ``ports.Clock``)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class VirtualClock:
    """A clock that advances instantly, so a whole session replays in moments.

    ``elapsed`` is the session's own timeline in seconds; the audio recorder
    places sound on it, which is what makes ``--audio-out`` a faithful
    recording of pauses as well as speech.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._start = start or datetime.now(UTC)
        self.elapsed = 0.0

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.elapsed)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.elapsed += seconds
