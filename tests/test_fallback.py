"""Losing the microphone mid-session: a spoken note, then typed answers or a saved end."""

from __future__ import annotations

import io
from pathlib import Path

from voice_haven import script
from voice_haven.care import Care
from voice_haven.clock import VirtualClock
from voice_haven.engine import SessionEngine
from voice_haven.fallback import TypedFallback
from voice_haven.journal import SqliteJournal
from voice_haven.ports import MicrophoneLost
from voice_haven.typed import CaptionSpeaker, TypedListener
from voice_haven.vocabulary import Expect, Hearing, interpret


class UnpluggedAfter:
    """Stands in for a microphone that hears some answers, then is unplugged."""

    def __init__(self, clock: VirtualClock, answers: list[str]) -> None:
        self.clock = clock
        self.answers = list(answers)

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        if not self.answers:
            raise MicrophoneLost
        return interpret(self.answers.pop(0), expect)

    def wait(self, seconds: float) -> Hearing | None:
        self.clock.sleep(seconds)
        return None

    def confirmed(self, value: int) -> None:
        """Nothing to learn: answers are typed phrases."""


def _run(tmp_path: Path, terminal: bool, typed_lines: str) -> tuple[str, list[int], str]:
    clock = VirtualClock()
    captions = io.StringIO()
    speaker = CaptionSpeaker(stream=captions)
    journal = SqliteJournal(tmp_path)
    listener = TypedFallback(
        UnpluggedAfter(clock, ["8", "yes"]),
        speaker,
        lambda: TypedListener(clock, io.StringIO(typed_lines)),
        has_terminal=lambda: terminal,
    )
    outcome = SessionEngine(script.load("face"), speaker, listener, clock, journal, Care()).run()
    values = [r.value for r in journal.sessions()[-1].ratings]
    return outcome, values, captions.getvalue()


def test_carries_on_typed_at_a_terminal(tmp_path: Path) -> None:
    outcome, values, said = _run(tmp_path, True, "3\nno\n")
    assert "no longer hear the microphone" in said and "type your answers" in said
    assert values == [8, 3] and outcome == "completed"


def test_ends_saved_without_a_terminal(tmp_path: Path) -> None:
    outcome, values, said = _run(tmp_path, False, "")
    assert "Everything you said is saved" in said
    assert values == [8] and outcome == "no-response"
