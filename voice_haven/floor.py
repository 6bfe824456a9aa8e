"""Half-duplex turn taking: the microphone is deaf while the device speaks.

The speaker marks how long its sound lasts; the listener ignores audio
captured until then plus a short tail (room echo, the speaker's own decay),
so the device never hears itself and takes its own words for an answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Floor:
    tail: float = 0.35
    """Seconds of extra deafness after the device stops speaking."""

    _busy_until: float = field(default=0.0, repr=False)

    def speaking_for(self, seconds: float) -> None:
        """Called by the speaker as it starts ``seconds`` of sound."""
        self._busy_until = max(self._busy_until, time.monotonic() + seconds + self.tail)

    def is_open(self, at: float | None = None) -> bool:
        """Whether audio captured at monotonic time ``at`` (default now) may be heard."""
        return (time.monotonic() if at is None else at) >= self._busy_until
