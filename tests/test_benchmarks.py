"""The recognition benchmark still runs end to end (its figures are its own business)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
