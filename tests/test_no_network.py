"""voice-haven never uses the network: a whole session runs with sockets forbidden."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

FORBID = """
import socket

class _NoNetwork(socket.socket):
    def __init__(self, family=-1, *args, **kwargs):
        if family in (-1, socket.AF_INET, socket.AF_INET6):
            raise OSError("network use is forbidden in this test")
        super().__init__(family, *args, **kwargs)

socket.socket = _NoNetwork
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("no network"))
"""


def _forbidding(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(FORBID)
    return {"PYTHONPATH": str(site)}


def test_the_guard_really_forbids_sockets(tmp_path: Path) -> None:
    import subprocess
    import sys

    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket()"],
        env={**_forbidding(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode != 0 and "forbidden" in probe.stderr


def test_replayed_session_without_network(tmp_path: Path, fsdd: Path, gsc: Path) -> None:
    answers = tmp_path / "answers"
    answers.mkdir()
    yes = sorted(gsc.glob("yes_*.wav"))[0]
    for index, clip in enumerate([fsdd / "7_jackson_0.wav", yes, fsdd / "1_jackson_0.wav", yes]):
        (answers / f"{index:02d}.wav").write_bytes(clip.read_bytes())
    data = tmp_path / "data"
    done = run_cli(
        "--session",
        "face",
        "--audio-in",
        str(answers),
        "--audio-out",
        str(tmp_path / "o.wav"),
        "--data-dir",
        str(data),
        timeout=300,
        **_forbidding(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    history = json.loads(run_cli("history", "--json", "--data-dir", str(data)).stdout)
    assert [r["value"] for r in history[-1]["ratings"]] == [7, 1]
