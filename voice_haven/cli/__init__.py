"""The ``voice-haven`` command line: one module per command, gathered here."""

from __future__ import annotations

from .contact_cmd import contact
from .history_cmd import history
from .main import main
from .sessions_cmd import sessions

main.add_command(sessions)
main.add_command(history)
main.add_command(contact)

__all__ = ["main"]
