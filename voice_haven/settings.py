"""Saved settings: small choices the person makes once and the device remembers.

Kept as JSON in the data directory, written atomically (temporary file,
fsync, rename) so a power cut never leaves half a file. A file that cannot
be read is reported in one sentence and never overwritten.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .journal import private_dir

SETTINGS_NAME = "settings.json"


class SettingsError(Exception):
    """The settings file is unusable; ``str()`` is one sentence for the user."""


@dataclass(frozen=True)
class Settings:
    country: str | None = None
    """Two-letter country code choosing the crisis line; None means from the locale."""

    contact_name: str | None = None
    """A trusted person the device may suggest calling; never called by the device."""

    contact_phone: str | None = None
    """Their number, printed alongside the name when suggested."""

    voice: str | None = None
    """Preferred voice name (see ``voice-haven voices``)."""

    rate: int | None = None
    """Preferred speech rate in words per minute; "slower"/"faster" update it."""

    cue: bool = True
    """Play a soft tone when the device starts listening for an answer."""

    notice_shown: bool = False
    """The first-run note (self-help, not therapy) has been given once."""

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_NAME


def load_settings(data_dir: Path) -> Settings:
    path = settings_path(data_dir)
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise SettingsError(
            f"The settings file {path} is damaged{where}; move it away or delete it "
            "to start with default settings."
        ) from None
    if not isinstance(raw, dict):
        raise SettingsError(f"The settings file {path} should hold a JSON object; move it away.")
    known = {f.name: f for f in fields(Settings)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            continue
        expected = bool if key in ("cue", "notice_shown") else (int if key == "rate" else str)
        if value is not None and type(value) is not expected:
            raise SettingsError(
                f"The settings file {path} has a wrong value for '{key}'; "
                "fix it or delete the file."
            )
        values[key] = value
    return Settings(**values)


def save_settings(data_dir: Path, settings: Settings) -> None:
    private_dir(data_dir)
    path = settings_path(data_dir)
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(settings), handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
