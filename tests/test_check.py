"""``voice-haven check``: one line per component, real probes, never a traceback."""

from __future__ import annotations

import json
import time

import numpy as np
import soundcard_fake as fake
from click.testing import CliRunner

from voice_haven import diagnostics
from voice_haven.cli import main
from voice_haven.diagnostics import FAIL, OK, CheckOptions, Finding, run_checks

COMPONENTS = [
    "python",
    "recognizer",
    "vosk model",
    "speech",
    "natural voice",
    "microphone",
    "speaker",
    "data directory",
    "disk space",
]


def _check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def _by_component(output: str) -> dict[str, str]:
    return {
        line[:16].strip(): line[16:].strip()
        for line in output.splitlines()
        if line[:16].strip() in COMPONENTS
    }


def test_no_microphone_is_reported_on_its_own_line_and_exit_is_1(tmp_path, monkeypatch):
    fake.install(monkeypatch, [])
    result = _check("--data-dir", str(tmp_path))
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    lines = _by_component(result.output)
    assert list(lines) == COMPONENTS
    assert lines["microphone"].startswith("FAIL  No microphone was found; plug in a USB microphone")
    assert lines["speaker"].startswith("FAIL  No speaker was found")
    assert result.output.splitlines()[-1].startswith("2 of 9 checks need attention")


def test_real_components_of_this_machine_are_ok(tmp_path, monkeypatch):
    """The recognizer, voices, data folder and disk are real here; only the card is faked."""
    fake.install(monkeypatch, [fake.USB_MIC, fake.HEADPHONES], default=(0, 1))
    result = _check("--data-dir", str(tmp_path))
    lines = _by_component(result.output)
    for component in ("python", "recognizer", "speech", "natural voice", "data directory"):
        assert lines[component].startswith("ok"), (component, lines[component])
    assert lines["microphone"] == f"ok    {fake.USB_MIC['name']} (number 0)"
    assert lines["speaker"] == f"ok    {fake.HEADPHONES['name']} (number 1)"
    assert lines["vosk model"].split()[0] in ("ok", "note")
    assert str(tmp_path) in lines["data directory"]
    failed = [c for c, text in lines.items() if text.startswith("FAIL")]
    assert result.exit_code == (1 if failed else 0), result.output


def test_a_silent_microphone_is_a_problem_with_advice(tmp_path, monkeypatch):
    fake.install(monkeypatch, [fake.USB_MIC], default=(0, -1), recorded=np.zeros(48000, "float32"))
    findings = run_checks(CheckOptions(input_device="USB"), [("mic", diagnostics.check_microphone)])
    assert findings[0].status == FAIL
    assert "records only silence" in findings[0].detail
    assert "alsamixer" in findings[0].detail


def test_a_named_device_that_is_missing_says_so(monkeypatch):
    fake.install(monkeypatch, [fake.USB_MIC], default=(0, -1))
    findings = run_checks(
        CheckOptions(input_device="webcam"), [("mic", diagnostics.check_microphone)]
    )
    assert findings == [
        Finding(
            "microphone",
            FAIL,
            "No microphone is called 'webcam'; run 'voice-haven devices' to see the names.",
        )
    ]


def test_an_unwritable_data_directory_fails_with_advice(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    findings = run_checks(
        CheckOptions(data_dir=blocker / "data"), [("data", diagnostics.check_data_dir)]
    )
    assert findings[0].status == FAIL
    assert "is not writable" in findings[0].detail
    assert "--data-dir" in findings[0].detail


def test_a_crashing_probe_is_one_fail_line_and_the_others_still_run():
    def broken(options):
        raise RuntimeError("the probe fell over")

    findings = run_checks(
        CheckOptions(), [("broken", broken), ("python", diagnostics.check_python)]
    )
    assert findings[0] == Finding("broken", FAIL, "could not be checked (the probe fell over).")
    assert findings[1].status == OK


def test_a_stuck_probe_is_reported_and_does_not_hold_up_the_rest(monkeypatch):
    monkeypatch.setattr(diagnostics, "PROBE_TIMEOUT", 0.2)

    def stuck(options):
        time.sleep(5)
        return []

    started = time.monotonic()
    findings = run_checks(CheckOptions(), [("stuck", stuck), ("disk", diagnostics.check_disk)])
    assert time.monotonic() - started < 2
    assert findings[0] == Finding("stuck", FAIL, "did not answer within 0 s.")
    assert findings[1].component == "disk space"


def test_json_output_and_probe_chatter_stays_out_of_it(tmp_path, monkeypatch):
    fake.install(monkeypatch, [])
    result = _check("--json", "--data-dir", str(tmp_path))
    rows = json.loads(result.output)
    assert [r["component"] for r in rows] == COMPONENTS
    assert {r["status"] for r in rows} <= {"ok", "note", "FAIL"}
