"""Turns the package's user-facing errors into one sentence and an exit status."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click

from ..audio.wavfile import AudioFileError
from ..history_plot import PlotError
from ..journal import JournalError
from ..ports import DeviceUnavailable
from ..recognition.models import ModelError
from ..runner import UserError
from ..script import ScriptError
from ..settings import SettingsError
from ..speech.errors import VoiceError

F = TypeVar("F", bound=Callable[..., Any])

#: Exceptions whose message is already a sentence meant for the person.
KIND_ERRORS: tuple[type[Exception], ...] = (
    UserError,
    ScriptError,
    SettingsError,
    JournalError,
    DeviceUnavailable,
    PlotError,
    ModelError,
    AudioFileError,
    VoiceError,
)


@contextmanager
def kind_errors() -> Iterator[None]:
    try:
        yield
    except KIND_ERRORS as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(getattr(exc, "code", 2)) from None


def friendly(command: F) -> F:
    """Decorate a command so a known problem prints one sentence, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with kind_errors():
            return command(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
