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
from .recognition.select import Choice, choose
from .runner import UserError
from .vocabulary import DEFAULT_WAKE


def open_source(options: RunOptions) -> tuple[AudioSource, str]:
    """Where the answers come from, and the end of a sentence saying so.

    Raises ``DeviceUnavailable`` when there is no usable microphone, which the
    service retries and a session offers typed answers for.
    """
    if options.audio_in is not None:
        try:
            source = ReplaySource.from_folder(options.audio_in)
        except AudioFileError as exc:
            raise UserError(str(exc)) from None
        return source, f", replaying the answers in {options.audio_in}"
    if options.replay:
        return ReplaySource([]), ", with no answers to replay"
    microphone = MicrophoneSource.for_device(options.input_device)
    return microphone, f" on the microphone {microphone.name}"


def load_recognizer(options: RunOptions, wake: str = DEFAULT_WAKE) -> Choice:
    """The recognizer for ``options`` (loading a model takes seconds: done once per run)."""
    try:
        return choose(options.recognizer, options.model, paths.data_dir(options.data_dir), wake)
    except RecognizerUnavailable as exc:
        raise UserError(str(exc)) from None


def build_listener(options: RunOptions, clock: Clock, floor: Floor) -> tuple[AudioListener, str]:
    """The listener for ``options`` and one sentence saying how it listens."""
    source, where = open_source(options)
    try:
        choice = load_recognizer(options)
    except BaseException:
        source.close()
        raise
    return AudioListener(source, choice.recognizer, clock, floor), (
        f"Listening with {choice.description}{where}."
    )
