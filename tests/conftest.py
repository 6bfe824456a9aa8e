"""Shared test fixtures: corpus locations, a session's rating judge and the console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from voice_haven.recognition.framed_number import FramedNumber
from voice_haven.recognition.second_opinion import SecondOpinionRecognizer, load_bank
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.recognition.word_model import NUMBER_MODEL, RATING_MODEL, load_word_model

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


@pytest.fixture(scope="module")
def session_judge() -> SecondOpinionRecognizer:
    """PocketSphinx's ratings weighed as a session's are: bank, models and the framed number."""
    sphinx, number_model = SphinxRecognizer(), load_word_model(NUMBER_MODEL)
    return SecondOpinionRecognizer(
        sphinx, bank=load_bank(), model=number_model, rating_model=load_word_model(RATING_MODEL),
        framed=FramedNumber(sphinx, number_model, sphinx.sample_rate),
    )  # fmt: skip


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
