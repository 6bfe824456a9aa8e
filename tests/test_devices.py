"""Listing and choosing sound devices: by number, by name, by default, or none at all."""

from __future__ import annotations

import json

import pytest
import soundcard_fake as fake
from click.testing import CliRunner

from voice_haven.cli import main
from voice_haven.devices import list_devices, resolve_device
from voice_haven.ports import DeviceUnavailable

PI = [fake.HEADPHONES, fake.HDMI, fake.USB_MIC, fake.USB_SPEAKER]


def test_devices_without_any_device_says_so_in_one_sentence(monkeypatch):
    fake.install(monkeypatch, [])
    result = CliRunner().invoke(main, ["devices"])
    assert result.exit_code == 0
    assert result.output.strip() == (
        "No microphone or speaker was found; plug in a USB microphone and a speaker, "
        "then run 'voice-haven devices' again."
    )


def test_devices_on_this_machine_never_shows_a_traceback():
    result = CliRunner().invoke(main, ["devices"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "microphone" in result.output or "speaker" in result.output


def test_devices_lists_numbers_names_and_roles(monkeypatch):
    fake.install(monkeypatch, PI, default=(2, 0))
    result = CliRunner().invoke(main, ["devices"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["no", "name"]
    mic = next(line for line in lines if "USB PnP" in line)
    assert mic.split()[0] == "2"
    assert "microphone (default)" in mic
    assert "speaker (default)" in next(line for line in lines if "Headphones" in line)


def test_devices_json_has_one_object_per_device(monkeypatch):
    fake.install(monkeypatch, PI, default=(2, 0))
    result = CliRunner().invoke(main, ["devices", "--json"])
    rows = json.loads(result.output)
    assert [r["index"] for r in rows] == [0, 1, 2, 3]
    assert rows[2] == {
        "index": 2,
        "name": fake.USB_MIC["name"],
        "host_api": "ALSA",
        "inputs": 1,
        "outputs": 0,
        "sample_rate": 48000.0,
        "default_input": True,
        "default_output": False,
    }


def test_missing_portaudio_is_one_sentence_not_a_traceback(monkeypatch):
    fake.without_portaudio(monkeypatch)
    result = CliRunner().invoke(main, ["devices"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "libportaudio2" in result.output
    with pytest.raises(DeviceUnavailable, match="PortAudio"):
        list_devices()


@pytest.mark.parametrize(
    ("spec", "kind", "expected"),
    [
        ("2", "input", 2),
        ("usb pnp", "input", 2),
        ("USB", "input", 2),
        ("Headphones", "output", 0),
        ("usb", "output", 3),
        ("usb speaker: audio (hw:3,0)", "output", 3),
        (None, "input", 2),
        (None, "output", 0),
        (" ", "output", 0),
    ],
)
def test_resolve_by_number_name_or_default(monkeypatch, spec, kind, expected):
    fake.install(monkeypatch, PI, default=(2, 0))
    assert resolve_device(spec, kind).index == expected


def test_without_a_default_the_first_suitable_device_is_used(monkeypatch):
    fake.install(monkeypatch, PI, default=(-1, -1))
    assert resolve_device(None, "input").index == 2
    assert resolve_device(None, "output").index == 0


@pytest.mark.parametrize(
    ("spec", "kind", "message"),
    [
        ("7", "input", "There is no microphone number 7; run 'voice-haven devices'"),
        ("0", "input", "There is no microphone number 0"),
        ("webcam", "input", "No microphone is called 'webcam'"),
        ("hw:", "output", "'hw:' matches 3 speakers (0: bcm2835"),
    ],
)
def test_unresolvable_devices_say_what_to_do(monkeypatch, spec, kind, message):
    fake.install(monkeypatch, PI, default=(2, 0))
    with pytest.raises(DeviceUnavailable, match=message.replace("(", r"\(")):
        resolve_device(spec, kind)


def test_no_microphone_at_all(monkeypatch):
    fake.install(monkeypatch, [fake.HEADPHONES])
    with pytest.raises(
        DeviceUnavailable, match="No microphone was found; plug in a USB microphone"
    ):
        resolve_device("USB", "input")
