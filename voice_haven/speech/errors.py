"""What can go wrong when choosing or starting a voice, in one sentence each."""

from __future__ import annotations

from ..ports import DeviceUnavailable


class VoiceError(Exception):
    """A voice that cannot be used as asked (unknown name, optional package missing).

    ``str()`` is one sentence for the person; it is a choice they can fix, so
    it is not a ``DeviceUnavailable`` and never triggers the typed fallback.
    """


class SpeechUnavailable(DeviceUnavailable):
    """The speech engine itself cannot make sound (espeak-ng missing or broken).

    A ``DeviceUnavailable``, so an interactive session falls back to typed
    answers and captions instead of failing.
    """
