"""A session process killed at any moment loses no rating already given."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from conftest import console_script, run_cli


def _history(data: Path) -> list[dict]:
    return json.loads(run_cli("history", "--json", "--data-dir", str(data)).stdout)


def _start(data: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [console_script(), "--session", "palms", "--text", "--no-wait", "--data-dir", str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(data: Path, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (data / "journal.sqlite3").exists():
            sessions = _history(data)
            values = [r["value"] for r in sessions[-1]["ratings"]] if sessions else []
            if len(values) >= count:
                return values
        time.sleep(0.2)
    raise AssertionError(f"the session did not record {count} ratings in 30 s")


def test_sigkill_between_ratings_loses_nothing(tmp_path: Path) -> None:
    process = _start(tmp_path)
    assert process.stdin is not None
    process.stdin.write("8\nyes\n5\nyes\n")
    process.stdin.flush()
    assert _wait_for(tmp_path, 2) == [8, 5]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    last = _history(tmp_path)[-1]
    assert [r["value"] for r in last["ratings"]] == [8, 5]
    assert last["outcome"] == "interrupted"


def test_sigterm_ends_gracefully_as_interrupted(tmp_path: Path) -> None:
    process = _start(tmp_path)
    assert process.stdin is not None
    process.stdin.write("6\nyes\n")
    process.stdin.flush()
    _wait_for(tmp_path, 1)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 143
    assert "Traceback" not in err and "saved" in err
    last = _history(tmp_path)[-1]
    assert last["outcome"] == "interrupted" and last["ended"] is not None
    assert [r["value"] for r in last["ratings"]] == [6]
