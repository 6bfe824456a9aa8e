"""The command line, through click's runner and through the installed console script."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import run_cli

from voice_haven.cli import main

ANSWERS = "7\nyes\n4\nyes\n1\nyes\n"


def _cli(*args: str, stdin: str = ""):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_typed_session_then_history(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    done = run_cli("--session", "face", "--text", "--no-wait", "--data-dir", data, stdin=ANSWERS)
    assert done.returncode == 0, done.stderr
    assert "How strong" in done.stdout
    shown = run_cli("history", "--json", "--data-dir", data)
    last = json.loads(shown.stdout)[-1]
    assert last["session"] == "face"
    assert [r["value"] for r in last["ratings"]] == [7, 4, 1]
    assert set(last) >= {"id", "session", "started", "ended", "outcome", "ratings"}
    assert set(last["ratings"][0]) >= {"round", "value", "at"}


def test_history_table_shows_before_and_after(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    _cli("--session", "palms", "--text", "--no-wait", "--data-dir", data, stdin=ANSWERS)
    table = _cli("history", "--data-dir", data).output
    assert "palms" in table and "7 -> 1" in table and "-6" in table


def test_empty_history_says_how_to_start(tmp_path: Path) -> None:
    assert "No sessions yet" in _cli("history", "--data-dir", str(tmp_path)).output
    assert json.loads(_cli("history", "--json", "--data-dir", str(tmp_path)).output) == []


def test_sessions_json() -> None:
    rows = json.loads(_cli("sessions", "--json").output)
    names = {row["name"] for row in rows}
    assert {"face", "arms", "palms", "full", "quick"} <= names
    assert all({"name", "title", "description", "minutes"} <= set(row) for row in rows)


def test_unknown_session_is_named_without_traceback(tmp_path: Path) -> None:
    done = run_cli("--session", "nosuch", "--text", "--data-dir", str(tmp_path))
    assert done.returncode != 0
    assert "nosuch" in done.stderr and "face" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_broken_session_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[steps]\nsay = "unterminated\n')
    done = run_cli("--session", str(broken), "--text", "--no-wait", "--data-dir", str(tmp_path))
    assert done.returncode != 0
    assert "broken.toml" in done.stderr and "line 1" in done.stderr
    assert "Traceback" not in done.stderr


def test_corrupt_journal_keeps_its_bytes_and_a_session_still_runs(tmp_path: Path) -> None:
    tmp_path.joinpath("journal.sqlite3").write_bytes(b"\x00garbage" * 500)
    done = run_cli(
        "--session",
        "quick",
        "--text",
        "--no-wait",
        "--data-dir",
        str(tmp_path),
        stdin="5\nyes\n2\n",
    )
    assert done.returncode == 0
    assert "moved aside" in done.stderr and "Traceback" not in done.stderr
    aside = list(tmp_path.glob("journal.corrupt-*.sqlite3"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"\x00garbage" * 500


def test_corrupt_settings_is_one_sentence(tmp_path: Path) -> None:
    tmp_path.joinpath("settings.json").write_text("{nope")
    done = run_cli("--session", "face", "--text", "--no-wait", "--data-dir", str(tmp_path))
    assert done.returncode != 0 and "settings.json" in done.stderr
    assert "Traceback" not in done.stderr
    assert tmp_path.joinpath("settings.json").read_text() == "{nope"


def test_no_microphone_without_a_terminal_says_so_and_fails(tmp_path: Path) -> None:
    done = run_cli("--session", "face", "--data-dir", str(tmp_path), timeout=60)
    assert done.returncode != 0
    assert "microphone" in done.stderr.lower() or "speaker" in done.stderr.lower()
    assert "--text" in done.stderr and "Traceback" not in done.stderr


def test_country_gives_its_crisis_line_and_is_remembered(tmp_path: Path) -> None:
    data = str(tmp_path)
    done = _cli(
        "--session",
        "arms",
        "--text",
        "--no-wait",
        "--country",
        "GB",
        "--data-dir",
        data,
        stdin="6\nyes\nI want to kill myself\n",
    )
    assert "116 123" in done.output and done.exit_code == 0
    again = _cli("--session", "arms", "--text", "--no-wait", "--data-dir", data, stdin="suicide\n")
    assert "116 123" in again.output
    ratings = json.loads(_cli("history", "--json", "--data-dir", data).output)[0]["ratings"]
    assert [r["value"] for r in ratings] == [6]


def test_first_run_notice_once(tmp_path: Path) -> None:
    data = str(tmp_path)
    first = _cli("--session", "quick", "--text", "--no-wait", "--data-dir", data).output
    second = _cli("--session", "quick", "--text", "--no-wait", "--data-dir", data).output
    assert "not therapy" in first and "not therapy" not in second


def test_contact_is_named_after_a_hard_session(tmp_path: Path) -> None:
    data = str(tmp_path)
    assert _cli("contact", "set", "Sam", "555 0100", "--data-dir", data).exit_code == 0
    assert "Sam (555 0100)" in _cli("contact", "show", "--data-dir", data).output
    out = _cli(
        "--session", "face", "--text", "--no-wait", "--data-dir", data, stdin="8\nyes\n8\nno\n"
    ).output
    assert "You could call Sam tonight" in out
    _cli("contact", "clear", "--data-dir", data)
    assert "No trusted contact" in _cli("contact", "show", "--data-dir", data).output


def test_rounds_option_limits_rounds(tmp_path: Path) -> None:
    data = str(tmp_path)
    _cli(
        "--session",
        "face",
        "--text",
        "--no-wait",
        "--rounds",
        "1",
        "--data-dir",
        data,
        stdin="8\nyes\n6\nyes\n5\n",
    )
    ratings = json.loads(_cli("history", "--json", "--data-dir", data).output)[0]["ratings"]
    assert [r["value"] for r in ratings] == [8, 6]


def test_help_has_examples() -> None:
    assert "Examples" in _cli("--help").output
    assert "Example" in _cli("sessions", "--help").output


def test_a_chosen_voice_and_cue_are_remembered(tmp_path: Path) -> None:
    """--voice and --no-cue last beyond one run, like --country."""
    data = tmp_path / "data"
    done = run_cli(
        "--session", "quick", "--text", "--no-wait", "--voice", "en-us+f3", "--no-cue",
        "--data-dir", str(data), stdin="stop\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    saved = json.loads((data / "settings.json").read_text())
    assert saved["voice"] == "en-us+f3" and saved["cue"] is False


def test_a_misspelt_voice_is_never_saved(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = run_cli(
        "--session", "quick", "--text", "--no-wait", "--voice", "nosuchvoice",
        "--data-dir", str(data), stdin="stop\n",
    )  # fmt: skip
    assert done.returncode != 0 and "Traceback" not in done.stderr
    settings = data / "settings.json"
    assert not settings.exists() or "nosuchvoice" not in settings.read_text()
