"""``voice-haven check``: one line per component, ok or what to do about it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..diagnostics import CheckOptions, run_checks, summary
from .errors import friendly
from .main import DATA_DIR


@click.command()
@DATA_DIR
@click.option("--input-device", help="Microphone name or index to check (default: the system's).")
@click.option("--output-device", help="Speaker name or index to check (default: the system's).")
@click.option("--model", type=click.Path(path_type=Path), help="Vosk model folder to check.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of findings.")
@friendly
def check(
    data_dir: Path | None,
    input_device: str | None,
    output_device: str | None,
    model: Path | None,
    as_json: bool,
) -> None:
    """Check that everything the device needs works: exit 0 when it all does, else 1.

    Tests the recognizer and its model, the voices, the microphone, the
    speaker, the data folder and the free disk space, each for real.

    \b
    Examples:
      voice-haven check
      voice-haven check --input-device USB --output-device 0
    """
    options = CheckOptions(data_dir, input_device, output_device, model)
    findings = run_checks(options)
    if as_json:
        click.echo(json.dumps([f.as_json() for f in findings], indent=2))
    else:
        for finding in findings:
            click.echo(finding.line())
        click.echo(summary(findings))
    raise SystemExit(1 if any(f.failed for f in findings) else 0)
