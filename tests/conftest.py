"""Shared test fixtures: corpus locations and the installed console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def corpus(name: str) -> Path:
    """A corpus folder beside the project; a clear failure (not a skip) when missing."""
    path = CORPORA / name
    if not path.is_dir():
        pytest.fail(
            f"The corpus {path} is missing: these tests need ../shared/corpora/{name} "
            "beside the project root."
        )
    return path


@pytest.fixture
def fsdd() -> Path:
    return corpus("fsdd-dev")


@pytest.fixture
def gsc() -> Path:
    return corpus("gsc-dev")


def console_script() -> str:
    """The installed ``voice-haven`` entry point, next to the running interpreter."""
    beside = Path(sys.executable).with_name("voice-haven")
    found = str(beside) if beside.exists() else shutil.which("voice-haven")
    if not found:
        pytest.fail("The voice-haven console script is not installed: run scripts/setup.")
    return found


def run_cli(*args: str, stdin: str = "", timeout: float = 120, **env: str):
    """Run the console script in a subprocess, as a person would from a shell."""
    return subprocess.run(
        [console_script(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
        check=False,
    )
