"""``voice-haven devices``: the microphones and speakers this machine has."""

from __future__ import annotations

import json

import click

from ..devices import AudioDevice, list_devices
from .errors import friendly


def _row(device: AudioDevice) -> str:
    roles = []
    if device.inputs:
        roles.append("microphone" + (" (default)" if device.default_input else ""))
    if device.outputs:
        roles.append("speaker" + (" (default)" if device.default_output else ""))
    channels = f"{device.inputs} in, {device.outputs} out"
    return (
        f"{device.index:>3}  {device.name:<40} {channels:<14} "
        f"{device.sample_rate:>7.0f} Hz  {', '.join(roles)}"
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of devices.")
@friendly
def devices(as_json: bool) -> None:
    """List microphones and speakers, with the numbers and names to choose them by.

    Use a number or (part of) a name with --input-device and --output-device.

    \b
    Examples:
      voice-haven devices
      voice-haven --session face --input-device USB --output-device 0
    """
    found = list_devices()
    if as_json:
        click.echo(json.dumps([d.as_json() for d in found], indent=2))
        return
    if not found:
        click.echo(
            "No microphone or speaker was found; plug in a USB microphone and a speaker, "
            "then run 'voice-haven devices' again."
        )
        return
    click.echo(f"{'no':>3}  {'name':<40} {'channels':<14} {'rate':>10}  use as")
    for device in found:
        click.echo(_row(device))
