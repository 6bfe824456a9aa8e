"""The choices for one run of a session, gathered from the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunOptions:
    session: str = "face"
    """A shipped session name, or a path to a session TOML file."""

    text: bool = False
    """Typed answers and printed captions instead of microphone and speaker."""

    no_wait: bool = False
    """Do not wait out pauses in wall-clock time (virtual clock)."""

    data_dir: Path | None = None
    """Where the journal and settings live; see ``paths.data_dir``."""

    rounds: int | None = None
    """At most this many rounds, overriding the session file."""

    country: str | None = None
    """Two-letter country code for the crisis line; saved for next time."""

    audio_in: Path | None = None
    """Replay: a folder of WAV answers, one per answer turn, in file-name order."""

    audio_out: Path | None = None
    """Write everything the person would hear into this WAV instead of playing it."""

    recognizer: str = "auto"
    """auto, vosk or sphinx."""

    model: Path | None = None
    """A Vosk model folder; else VOICE_HAVEN_MODEL, else the model store."""

    voice: str | None = None
    """A voice name from ``voice-haven voices``."""

    rate: int | None = None
    """Speech rate in words per minute."""

    input_device: str | None = None
    """Microphone: sounddevice name or index."""

    output_device: str | None = None
    """Speaker: sounddevice name or index."""

    cue: bool | None = None
    """Play the listening cue; None means the saved setting."""

    @property
    def replay(self) -> bool:
        """Replay and file output run on the virtual clock: nothing waits."""
        return self.audio_in is not None or self.audio_out is not None
