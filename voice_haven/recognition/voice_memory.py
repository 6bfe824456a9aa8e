"""Numbers the person has confirmed, kept in their own voice so the next ones are heard at once.

When the session asks "I heard four. Is that right?" and the person says
yes, that answer is a take of "four" in their voice, as good as one from
``voice-haven enroll``. The number bank (``second_opinion``) searches these
takes beside its synthetic voices, so an accent the recognizer hears badly
is asked about less as the device is used. Only the newest takes of each
number are kept (``KEEP``), so one mistaken "yes" is soon outvoted and then
forgotten. As with enrollment, only speech embeddings are stored, never
audio, readable by the person alone; ``voice-haven enroll --forget``
deletes them.

Measured with ``scripts/bench_recognition.py`` (each fsdd-dev speaker's
answers in a shuffled order, a "yes" to every right question): see
docs/PERFORMANCE.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .templates import Nearest, TemplateError, VoiceTemplates, read_takes

MEMORY_FILE = "confirmed_numbers.npz"
"""Where the confirmed takes live in the data directory."""

KEEP = 5
"""Takes kept per number, the newest. Simulated on fsdd-dev's most accented
speaker (his answers in a shuffled order, learned takes under the number
bank's rules alone), keeping 6 took 2.4 points more of
his last 250 answers at once than keeping 3; 5 lies between, and a mistaken
"yes" is gone after five confirmed takes of that number."""


class VoiceMemory:
    """The person's confirmed takes of each number, saved as they come."""

    def __init__(self, data_dir: Path | None, keep: int = KEEP) -> None:
        self.data_dir = data_dir
        self.keep = keep
        self.takes: dict[int, list[np.ndarray]] = {}
        self.problem: str | None = None
        """Why saved takes could not be read (they are then replaced) or saved."""
        path = None if data_dir is None else data_dir / MEMORY_FILE
        if path is not None and path.exists():
            try:
                saved = read_takes(path, "What was learned of your voice", "it starts afresh.")
            except TemplateError as exc:
                self.problem = str(exc)
            else:
                self.takes = {n: list(ts) for n, ts in saved.takes.items()}

    def remember(self, number: int, take: np.ndarray) -> None:
        """Keep ``take`` as the newest of ``number``; saved before this returns.

        A take that cannot be saved (a full or read-only disk) is still used
        for the rest of the session: learning must never end one.
        """
        self.takes[number] = [*self.takes.get(number, []), take][-self.keep :]
        if self.data_dir is None:
            return
        ordered = {n: tuple(ts) for n, ts in self.takes.items()}
        try:
            VoiceTemplates(ordered).save(self.data_dir, MEMORY_FILE)
        except OSError as exc:
            self.problem = f"What was learned of your voice could not be saved ({exc})."

    def nearest(self, features: np.ndarray) -> Nearest | None:
        """The person's own number nearest to an answer; None before anything is learned."""
        if not self.takes:
            return None
        return VoiceTemplates({n: tuple(ts) for n, ts in self.takes.items()}).nearest(features)

    def joined(self, bank: VoiceTemplates) -> VoiceTemplates:
        """``bank`` with the person's takes beside its own."""
        numbers = sorted(set(bank.takes) | set(self.takes))
        return VoiceTemplates(
            {n: (*bank.takes.get(n, ()), *self.takes.get(n, ())) for n in numbers}
        )


def forget_memory(data_dir: Path) -> bool:
    """Delete the confirmed takes; whether there were any."""
    path = data_dir / MEMORY_FILE
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed
