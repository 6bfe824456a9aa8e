"""``voice-haven contact``: an optional trusted person the device may suggest calling."""

from __future__ import annotations

from pathlib import Path

import click

from .. import paths
from ..settings import load_settings, save_settings
from .errors import friendly
from .main import DATA_DIR


@click.group()
def contact() -> None:
    """Name someone you trust. After a hard session the device may suggest calling them.

    The device never calls or messages anyone; it only reminds you they are there.

    \b
    Examples:
      voice-haven contact set Sam "+44 7700 900123"
      voice-haven contact show
      voice-haven contact clear
    """


@contact.command("set")
@click.argument("name")
@click.argument("phone", required=False)
@DATA_DIR
@friendly
def set_contact(name: str, phone: str | None, data_dir: Path | None) -> None:
    """Save NAME (and optionally PHONE) as your trusted contact."""
    if not name.strip():
        raise click.BadParameter("the name cannot be empty", param_hint="NAME")
    folder = paths.data_dir(data_dir)
    settings = load_settings(folder).with_changes(contact_name=name.strip(), contact_phone=phone)
    save_settings(folder, settings)
    click.echo(f"Saved. After a hard session I may suggest calling {name.strip()}.")


@contact.command("clear")
@DATA_DIR
@friendly
def clear_contact(data_dir: Path | None) -> None:
    """Forget the trusted contact."""
    folder = paths.data_dir(data_dir)
    save_settings(folder, load_settings(folder).with_changes(contact_name=None, contact_phone=None))
    click.echo("The trusted contact has been removed.")


@contact.command("show")
@DATA_DIR
@friendly
def show_contact(data_dir: Path | None) -> None:
    """Show the trusted contact, if any."""
    settings = load_settings(paths.data_dir(data_dir))
    if not settings.contact_name:
        click.echo("No trusted contact is set. Add one with: voice-haven contact set NAME [PHONE]")
        return
    phone = f" ({settings.contact_phone})" if settings.contact_phone else ""
    click.echo(f"{settings.contact_name}{phone}")
