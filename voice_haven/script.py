"""Session scripts: the words, pauses and rounds of a session, loaded from TOML.

A practitioner edits these files, not Python. Every problem found on load is
reported as a ``ScriptError`` naming the file, the line where it is known,
and what is wrong, so a typo never surfaces as a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

SESSIONS_PACKAGE = "voice_haven.sessions"
PROMPTS_RESOURCE = ("voice_haven.data", "prompts.toml")


class ScriptError(Exception):
    """A session file that cannot be used; ``str()`` is one sentence for the user."""


class UnknownSession(ScriptError):
    pass


@dataclass(frozen=True)
class Step:
    """One thing the guide says, then a pause while the person carries on.

    ``count`` makes the guide count aloud from 1 to ``count``, one number
    every ``every`` seconds: about one number per stroke of the touch.
    """

    say: str
    pause: float = 0.0
    count: int = 0
    every: float = 1.5


@dataclass(frozen=True)
class Prompts:
    """The fixed sentences of the session flow; defaults live in data/prompts.toml."""

    first_rating: str
    rating: str
    begin: str
    another: str
    settled: str
    confirm_rating: str
    misheard: str
    plateau: str
    max_rounds: str
    not_a_rating: str
    not_yes_no: str
    silence: str
    no_response: str
    stop_hint: str
    not_understood: str
    stopped: str
    confirm_stop: str
    carry_on: str
    paused: str
    resumed: str
    slower: str
    faster: str
    louder: str
    quieter: str
    goodbye: str


@dataclass(frozen=True)
class Script:
    name: str
    title: str
    description: str
    minutes: float
    intro: tuple[Step, ...]
    steps: tuple[Step, ...]
    closing: tuple[Step, ...]
    prompts: Prompts
    stop_at: int = 1
    max_rounds: int = 5
    pace: float = 1.0
    """Speech and pause pace for this session; below 1 is slower (a sleep session)."""

    fade: bool = False
    """Soften the voice step by step through the last round, for drifting off."""

    drift_off: bool = False
    """Silence at a later rating means the person has fallen asleep: end quietly."""

    source: str = ""


_TOP_KEYS = {
    "title": str,
    "description": str,
    "minutes": (int, float),
    "stop_at": int,
    "max_rounds": int,
    "intro": list,
    "steps": list,
    "closing": list,
    "prompts": dict,
    "pace": (int, float),
    "fade": bool,
    "drift_off": bool,
}
_REQUIRED = ("title", "description", "minutes", "steps")
_STEP_KEYS = {"say": str, "pause": (int, float), "count": int, "every": (int, float)}
_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    list: "a list",
    dict: "a table",
    bool: "true or false",
}


def _type_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return "a number"
    return _TYPE_NAMES.get(kind, kind.__name__)


class _Locator:
    """Finds the line of a key in TOML source, so errors can point at it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, key: str, table: str | None = None, index: int = 0) -> int | None:
        start = 0
        if table is not None:
            headers = [
                i for i, line in enumerate(self.lines)
                if re.match(rf"\s*\[\[\s*{re.escape(table)}\s*\]\]", line)
            ]  # fmt: skip
            if index >= len(headers):
                return None
            start = headers[index]
            if not key:
                return start + 1
        for i in range(start, len(self.lines)):
            if i > start and table is not None and self.lines[i].lstrip().startswith("["):
                return None
            if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", self.lines[i]):
                return i + 1
        return None


def _fail(path: str, line: int | None, problem: str) -> ScriptError:
    where = f"{path}, line {line}" if line else path
    return ScriptError(f"The session file {where} has a problem: {problem}.")


def _check_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    return isinstance(value, kind)


def _steps(raw: Any, table: str, path: str, where: _Locator) -> tuple[Step, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise _fail(path, where.line_of(table), f"'{table}' must be a list of [[{table}]] tables")
    steps = []
    for index, item in enumerate(raw):
        for key, value in item.items():
            line = where.line_of(key, table, index) or where.line_of("", table, index)
            if key not in _STEP_KEYS:
                known = ", ".join(_STEP_KEYS)
                raise _fail(path, line, f"unknown key '{key}' in {table} (known keys: {known})")
            if not _check_type(value, _STEP_KEYS[key]):
                kind = _type_name(_STEP_KEYS[key])
                raise _fail(path, line, f"'{key}' in {table} must be {kind}")
            if key in ("pause", "every", "count") and value < 0:
                raise _fail(path, line, f"'{key}' in {table} cannot be negative")
        if not str(item.get("say", "")).strip():
            line = where.line_of("", table, index)
            raise _fail(path, line, f"step {index + 1} of {table} has nothing to say")
        steps.append(Step(**item))
    return tuple(steps)


def _default_prompts() -> dict[str, str]:
    package, name = PROMPTS_RESOURCE
    return tomllib.loads(resources.files(package).joinpath(name).read_text("utf-8"))


def _prompts(raw: dict[str, Any], path: str, where: _Locator) -> Prompts:
    known = {f.name for f in fields(Prompts)}
    for key, value in raw.items():
        line = where.line_of(key)
        if key not in known:
            raise _fail(path, line, f"unknown prompt '{key}' (known: {', '.join(sorted(known))})")
        if not isinstance(value, str) or not value.strip():
            raise _fail(path, line, f"prompt '{key}' must be non-empty text")
    return Prompts(**(_default_prompts() | raw))


def parse(text: str, name: str, path: str) -> Script:
    """Build a Script from TOML ``text``; ``path`` is only used in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)).rstrip(".").lower()
        at = int(line.group(1)) if line else None
        raise _fail(path, at, f"it is not valid TOML ({reason})") from None
    where = _Locator(text)
    for key, value in data.items():
        if key not in _TOP_KEYS:
            known = ", ".join(_TOP_KEYS)
            raise _fail(path, where.line_of(key), f"unknown key '{key}' (known keys: {known})")
        if not _check_type(value, _TOP_KEYS[key]):
            raise _fail(path, where.line_of(key), f"'{key}' must be {_type_name(_TOP_KEYS[key])}")
    for key in _REQUIRED:
        if key not in data:
            raise _fail(path, None, f"the required key '{key}' is missing")
    steps = _steps(data["steps"], "steps", path, where)
    if not steps:
        raise _fail(path, where.line_of("steps"), "a session needs at least one step")
    for key, low, high in (("stop_at", 0, 10), ("max_rounds", 1, 50)):
        if key in data and not low <= data[key] <= high:
            raise _fail(path, where.line_of(key), f"'{key}' must be between {low} and {high}")
    if data["minutes"] <= 0:
        raise _fail(path, where.line_of("minutes"), "'minutes' must be more than zero")
    if not 0.5 <= data.get("pace", 1.0) <= 1.5:
        raise _fail(path, where.line_of("pace"), "'pace' must be between 0.5 and 1.5")
    return Script(
        name=name,
        title=data["title"],
        description=data["description"],
        minutes=float(data["minutes"]),
        intro=_steps(data.get("intro", []), "intro", path, where),
        steps=steps,
        closing=_steps(data.get("closing", []), "closing", path, where),
        prompts=_prompts(data.get("prompts", {}), path, where),
        stop_at=data.get("stop_at", 1),
        max_rounds=data.get("max_rounds", 5),
        pace=float(data.get("pace", 1.0)),
        fade=data.get("fade", False),
        drift_off=data.get("drift_off", False),
        source=path,
    )


def available() -> list[str]:
    """Names of the sessions shipped with voice-haven, sorted."""
    folder = resources.files(SESSIONS_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load(name_or_path: str) -> Script:
    """Load a shipped session by name, or any session file by path."""
    if name_or_path.endswith(".toml") or "/" in name_or_path:
        path = Path(name_or_path)
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise ScriptError(f"The session file {path} does not exist.") from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "it is not UTF-8 text"
            raise ScriptError(f"The session file {path} cannot be read: {reason}.") from None
        return parse(text, path.stem, str(path))
    if name_or_path not in available():
        names = ", ".join(available())
        raise UnknownSession(
            f"There is no session called '{name_or_path}'. Choose one of: {names}."
        )
    resource = resources.files(SESSIONS_PACKAGE).joinpath(f"{name_or_path}.toml")
    return parse(resource.read_text("utf-8"), name_or_path, f"{name_or_path}.toml")
