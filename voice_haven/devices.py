"""Sound devices: listing them, and turning "--input-device USB" into a device.

A bedside Pi usually has a USB microphone and a separate speaker, and their
numbers change when they are plugged into another port, so devices can be
chosen by (part of) their name as well as by number. Every problem comes
out as ``ports.DeviceUnavailable`` with one sentence saying what to do,
including a missing PortAudio library, which makes ``import sounddevice``
itself fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .ports import DeviceUnavailable

Kind = Literal["input", "output"]

_ROLE = {"input": "microphone", "output": "speaker"}
_OPTION = {"input": "--input-device", "output": "--output-device"}


@dataclass(frozen=True)
class AudioDevice:
    """One device as PortAudio reports it."""

    index: int
    name: str
    host_api: str
    inputs: int
    outputs: int
    sample_rate: float
    default_input: bool = False
    default_output: bool = False

    def channels(self, kind: Kind) -> int:
        return self.inputs if kind == "input" else self.outputs

    def as_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "name": self.name,
            "host_api": self.host_api,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "sample_rate": self.sample_rate,
            "default_input": self.default_input,
            "default_output": self.default_output,
        }


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError:
        raise DeviceUnavailable(
            "The PortAudio sound library is missing, so no microphone or speaker can be used; "
            "install it with: sudo apt-get install libportaudio2."
        ) from None
    except ImportError:
        raise DeviceUnavailable(
            "The sounddevice package is missing, so no microphone or speaker can be used; "
            "reinstall voice-haven."
        ) from None
    return sounddevice


def list_devices() -> list[AudioDevice]:
    """Every device PortAudio knows, with which ones are the system defaults."""
    sd = _sounddevice()
    try:
        raw = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = _defaults(sd)
    except sd.PortAudioError as exc:
        raise DeviceUnavailable(f"The sound devices could not be listed ({exc}).") from None
    return [
        AudioDevice(
            index=i,
            name=str(d["name"]),
            host_api=str(apis[d["hostapi"]]["name"]),
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            sample_rate=float(d["default_samplerate"]),
            default_input=i == default_in,
            default_output=i == default_out,
        )
        for i, d in enumerate(raw)
    ]


def _defaults(sd: Any) -> tuple[int, int]:
    """PortAudio's default input and output device numbers; -1 where there is none."""
    pair = sd.default.device
    return _index(pair[0]), _index(pair[1])


def _index(value: object) -> int:
    return value if isinstance(value, int) else -1


def rescan() -> None:
    """Forget PortAudio's device list so a device plugged in since start-up is seen.

    PortAudio enumerates devices once, when it starts; a USB microphone that
    comes back after being unplugged is only found by restarting it. Call
    only while no stream is open.
    """
    sd = _sounddevice()
    sd._terminate()
    sd._initialize()


def resolve_device(spec: str | int | None, kind: Kind) -> AudioDevice:
    """The device for ``--input-device``/``--output-device``: a number, a name, or the default.

    A name matches case-insensitively, exactly or as a part of the device's
    name; only devices with channels of the right kind count. With no spec
    the system default is used, else the first suitable device.
    """
    role = _ROLE[kind]
    usable = [d for d in list_devices() if d.channels(kind) > 0]
    if not usable:
        raise DeviceUnavailable(no_device_sentence(kind))
    if spec is None or str(spec).strip() == "":
        default = [d for d in usable if (d.default_input if kind == "input" else d.default_output)]
        return (default or usable)[0]
    text = str(spec).strip()
    if text.isdigit():
        for device in usable:
            if device.index == int(text):
                return device
        raise DeviceUnavailable(
            f"There is no {role} number {text}; run 'voice-haven devices' to see the numbers."
        )
    wanted = text.casefold()
    exact = [d for d in usable if d.name.casefold() == wanted]
    if exact:
        return exact[0]
    partial = [d for d in usable if wanted in d.name.casefold()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise DeviceUnavailable(
            f"No {role} is called '{text}'; run 'voice-haven devices' to see the names."
        )
    names = ", ".join(f"{d.index}: {d.name}" for d in partial)
    raise DeviceUnavailable(
        f"'{text}' matches {len(partial)} {role}s ({names}); "
        f"give more of the name or the number with {_OPTION[kind]}."
    )


def no_device_sentence(kind: Kind) -> str:
    """What to say when there is no microphone (or speaker) at all."""
    if kind == "input":
        return (
            "No microphone was found; plug in a USB microphone, "
            "then run 'voice-haven devices' to check it is listed."
        )
    return (
        "No speaker was found; plug in a speaker or headphones, "
        "then run 'voice-haven devices' to check it is listed."
    )
