"""The ``voice-haven`` command line: one module per command, gathered here."""

from __future__ import annotations

from .check_cmd import check
from .contact_cmd import contact
from .devices_cmd import devices
from .enroll_cmd import enroll
from .history_cmd import history
from .main import main
from .model_cmd import model
from .prepare_cmd import prepare
from .serve_cmd import serve
from .sessions_cmd import sessions
from .transcribe_cmd import transcribe
from .voices_cmd import voices

main.add_command(sessions)
main.add_command(history)
main.add_command(devices)
main.add_command(check)
main.add_command(contact)
main.add_command(transcribe)
main.add_command(model)
main.add_command(voices)
main.add_command(prepare)
main.add_command(serve)
main.add_command(enroll)

__all__ = ["main"]
