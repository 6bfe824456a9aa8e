"""``voice-haven model``: the Vosk models the device can listen with."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import friendly
from .main import DATA_DIR


@click.group()
def model() -> None:
    """List, install and download Vosk speech models.

    Without a Vosk model the device listens with PocketSphinx (US English).
    An English Vosk model usually hears better; the small one suits a Pi.
    On a Pi without a network, copy the zip over and install it.

    \b
    Examples:
      voice-haven model list
      voice-haven model install vosk-model-small-en-us-0.15.zip
      voice-haven model download vosk-model-small-en-us-0.15
      voice-haven model path
    """


@model.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON object: installed and downloadable.")
@DATA_DIR
@friendly
def list_models(as_json: bool, data_dir: Path | None) -> None:
    """Show installed models and the ones that can be downloaded."""
    from .. import paths
    from ..recognition.models import CATALOG, folder_size, installed
    from ..recognition.select import is_english_model

    found = installed(paths.data_dir(data_dir))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "installed": [
                        {
                            "name": p.name,
                            "path": str(p),
                            "bytes": folder_size(p),
                            "english": is_english_model(p),
                        }
                        for p in found
                    ],
                    "downloadable": [
                        {"name": m.name, "about": m.about, "size": m.size_text}
                        for m in CATALOG.values()
                    ],
                },
                indent=2,
            )
        )
        return
    if found:
        click.echo("Installed:")
        for p in found:
            language = "English" if is_english_model(p) else "not English"
            click.echo(f"  {p.name:<32} {folder_size(p) / 1e6:>6.0f} MB  {language}")
    else:
        click.echo("No Vosk model is installed, so sessions listen with PocketSphinx.")
    names = {p.name for p in found}
    click.echo("Downloadable (voice-haven model download NAME):")
    for m in CATALOG.values():
        mark = "  (installed)" if m.name in names else ""
        click.echo(f"  {m.name:<32} {m.size_text:>6}  {m.about}{mark}")


@model.command("path")
@click.argument("name", required=False)
@DATA_DIR
@friendly
def model_path(name: str | None, data_dir: Path | None) -> None:
    """Print the model store folder, or the folder of the installed model NAME."""
    from .. import paths
    from ..recognition.models import find_installed, store

    base = paths.data_dir(data_dir)
    click.echo(str(find_installed(name, base) if name else store(base)))


@model.command("install")
@click.argument("source", type=click.Path(path_type=Path))
@DATA_DIR
@friendly
def install_model(source: Path, data_dir: Path | None) -> None:
    """Install a Vosk model from a zip file or an unpacked model folder.

    \b
    Example (a Pi without a network; the zip copied over with scp or a USB stick):
      voice-haven model install /media/usb/vosk-model-small-en-us-0.15.zip
    """
    from .. import paths
    from ..recognition.models import install

    result = install(source, paths.data_dir(data_dir))
    _report(result.path, result.already)


@model.command("download")
@click.argument("name")
@click.option(
    "--from",
    "base_url",
    metavar="URL",
    help="Download from this base URL (a local mirror) instead of alphacephei.com; "
    "also $VOICE_HAVEN_MODEL_URL.",
)
@DATA_DIR
@friendly
def download_model(name: str, base_url: str | None, data_dir: Path | None) -> None:
    """Download the model NAME (see 'voice-haven model list') and install it.

    An interrupted download resumes where it stopped when run again.
    """
    from .. import paths
    from ..recognition.models import download

    def bar(total: int):  # type: ignore[no-untyped-def]
        return click.progressbar(length=total or None, label=f"Downloading {name}", file=sys.stderr)

    result = download(name, paths.data_dir(data_dir), base_url, bar)
    _report(result.path, result.already)


def _report(path: Path, already: bool) -> None:
    from ..recognition.select import is_english_model

    done = "is already installed" if already else "is installed"
    if is_english_model(path):
        click.echo(f"{path.name} {done} in {path.parent}; sessions listen with it.")
    else:
        click.echo(
            f"{path.name} {done} in {path.parent}; it does not look English, so sessions "
            f"use it only with --recognizer vosk --model {path}."
        )
