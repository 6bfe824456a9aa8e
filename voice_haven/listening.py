"""Builds the listener of a spoken session: a source of audio and a recognizer.

Called by ``runner`` only for audio sessions, so a typed session never
imports numpy, soxr, sounddevice or a recognizer. The microphone is looked
for before the recognizer is loaded: with no microphone the person is
offered typed answers at once instead of after seconds of model loading.
"""

from __future__ import annotations

from . import paths
from .audio.listener import AudioListener
from .audio.sources import AudioSource, MicrophoneSource, ReplaySource
from .audio.wavfile import AudioFileError
from .floor import Floor
from .options import RunOptions
from .ports import Clock
from .recognition.base import RecognizerUnavailable
from .recognition.select import choose
from .runner import UserError


def build_listener(options: RunOptions, clock: Clock, floor: Floor) -> tuple[AudioListener, str]:
    """The listener for ``options`` and one sentence saying how it listens."""
    source: AudioSource
    if options.audio_in is not None:
        try:
            source = ReplaySource.from_folder(options.audio_in)
        except AudioFileError as exc:
            raise UserError(str(exc)) from None
        where = f", replaying the answers in {options.audio_in}"
    elif options.replay:
        source = ReplaySource([])
        where = ", with no answers to replay"
    else:
        source = MicrophoneSource.for_device(options.input_device)
        where = f" on the microphone {source.name}"
    try:
        choice = choose(options.recognizer, options.model, paths.data_dir(options.data_dir))
    except RecognizerUnavailable as exc:
        source.close()
        raise UserError(str(exc)) from None
    except BaseException:
        source.close()
        raise
    return AudioListener(source, choice.recognizer, clock, floor), (
        f"Listening with {choice.description}{where}."
    )
