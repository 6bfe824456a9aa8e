"""The recognition benchmark still runs end to end, and counts what a session would ask as asked."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from voice_haven.engine import EngineSettings
from voice_haven.recognition.sphinx import SPOTTED_CONFIDENCE
from voice_haven.vocabulary import Hearing, Intent

ROOT = Path(__file__).resolve().parent.parent


def test_bench_recognition_reports_every_set(fsdd: Path, gsc: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_recognition.py"), "--limit", "2",
         "--no-baseline", "--synthetic", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert {"fsdd ratings", "gsc commands", "fsdd enrolled ratings",
            "gsc enrolled rejection"} <= set(report["sets"])  # fmt: skip
    assert report["sets"]["fsdd enrolled ratings"]["all"]["n"] == 6
    assert "no synthetic set" in report["notes"][0]


def test_what_the_session_would_check_counts_as_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A "stop" only the spotter found is met with "Did you say stop?": a question, not taken."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    bench = importlib.import_module("bench_recognition")
    spotted = Hearing("stop", Intent.COMMAND, "stop", SPOTTED_CONFIDENCE, True)
    asks = EngineSettings()
    assert bench.outcome(spotted, "command", "stop", asks) == "asked_right"
    assert bench.outcome(spotted, None, None, asks) == "asked_wrong"
    assert bench.outcome(replace(spotted, confidence=0.9), "command", "stop", asks) == "right"
    assert bench.outcome(spotted, "command", "stop") == "right"
