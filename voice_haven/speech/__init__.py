"""Speaking: voices, rendering, the prompt cache, the listening cue, and where sound goes.

``build_speaker`` is all ``runner`` needs. This package is also imported by
the CLI for its error types, so everything heavy (numpy, sound libraries,
speech engines) is imported inside the functions, and the speech engines
load only when a sentence is not already in the cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..floor import Floor
from ..options import RunOptions
from ..ports import Clock
from ..settings import Settings, SettingsError, load_settings, save_settings
from .errors import SpeechUnavailable, VoiceError

if TYPE_CHECKING:
    from .cache import PromptCache
    from .speaker import AudioSpeaker
    from .voices import Voice

__all__ = ["SpeechUnavailable", "VoiceError", "build_speaker", "choose_voice", "prompt_cache"]


def prompt_cache(data_dir: Path) -> PromptCache:
    from .cache import PromptCache

    return PromptCache(paths.cache_dir(data_dir) / "prompts")


def choose_voice(wanted: str | None, saved: str | None) -> Voice:
    """``--voice`` if given (an unknown name is an error), else the saved voice, else the default.

    A saved voice that has gone (its package removed) must not stop a
    session someone needs now, so it quietly gives way to the default.
    """
    from .voices import find_voice

    if wanted:
        return find_voice(wanted)
    if saved:
        with contextlib.suppress(VoiceError):
            return find_voice(saved)
    return find_voice(None)


def _rate_keeper(data_dir: Path) -> Callable[[int], None]:
    """Saves a new rate into the settings file as it is on disk now.

    Re-read first: the runner writes settings after the speaker is built,
    and a stale copy would undo what it wrote. A settings file that cannot
    be written only means the rate is not remembered.
    """

    def remember(rate: int) -> None:
        with contextlib.suppress(SettingsError, OSError):
            save_settings(data_dir, load_settings(data_dir).with_changes(rate=rate))

    return remember


def build_speaker(
    options: RunOptions, settings: Settings, clock: Clock, floor: Floor
) -> AudioSpeaker:
    """The speaker for a run: ``--audio-out`` records, replay is silent, else the real speaker."""
    from .render import PromptRenderer
    from .sinks import DeviceSink, FileSink, NullSink, Sink
    from .speaker import AudioSpeaker
    from .voices import DEFAULT_RATE

    data_dir = paths.data_dir(options.data_dir)
    voice = choose_voice(options.voice, settings.voice)
    renderer = PromptRenderer(voice, prompt_cache(data_dir))
    sink: Sink
    if options.audio_out is not None:
        sink = FileSink(options.audio_out, clock, renderer.sample_rate)
    elif options.replay:
        sink = NullSink(clock, renderer.sample_rate)
    else:
        sink = DeviceSink.for_device(options.output_device, renderer.sample_rate, floor)
    rate = options.rate or settings.rate or DEFAULT_RATE
    cue = settings.cue if options.cue is None else options.cue
    return AudioSpeaker(renderer, sink, rate, cue=cue, remember_rate=_rate_keeper(data_dir))
