"""Where voice-haven keeps its journal, settings, models and cache."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``VOICE_HAVEN_HOME``, else ``$XDG_DATA_HOME/voice-haven``."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get("VOICE_HAVEN_HOME"):
        return Path(os.environ["VOICE_HAVEN_HOME"]).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(xdg) / "voice-haven"


def models_dir(base: Path) -> Path:
    """The model store: one folder per installed Vosk model."""
    return base / "models"


def cache_dir(base: Path) -> Path:
    """Rendered prompts, so the same sentence is never synthesized twice."""
    return base / "cache"
