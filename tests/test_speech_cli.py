"""``voices`` and ``prepare`` on the command line, and a voice that does not exist."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import run_cli

from voice_haven.cli import main
from voice_haven.settings import Settings
from voice_haven.speech.texts import all_texts


def test_voices_json_shape_and_a_natural_voice() -> None:
    result = CliRunner().invoke(main, ["voices", "--json"])
    assert result.exit_code == 0, result.output
    voices = json.loads(result.output)
    assert all(set(v) == {"name", "engine", "language", "description"} for v in voices)
    assert all(isinstance(value, str) and value for v in voices for value in v.values())
    assert voices[0]["name"] == "en-us+f3" and voices[0]["engine"] == "pyttsx3"
    assert any(v["engine"] != "pyttsx3" for v in voices)
    assert len({v["name"] for v in voices}) == len(voices)


def test_voices_table_names_each_voice_once() -> None:
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert "hibari-heart" in names and "en-gb" in names


def test_prepare_renders_everything_once(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["prepare", "--rate", "150", "--data-dir", str(tmp_path)])
    assert first.exit_code == 0, first.output
    count = len(all_texts(Settings()))
    assert f"{count} sentences are ready for en-us+f3 at 150" in first.output
    assert len(list((tmp_path / "cache" / "prompts").glob("*.wav"))) == count
    again = runner.invoke(main, ["prepare", "--rate", "150", "--data-dir", str(tmp_path)])
    assert f"(0 rendered now, {count} already prepared)" in again.output


def test_every_shipped_sentence_is_prepared_including_counting_and_care() -> None:
    texts = all_texts(Settings(country="GB", contact_name="Sam"))
    assert "20" in texts and "1" in texts
    assert any("116 123" in text for text in texts)
    assert any("Sam" in text for text in texts)
    assert any(text.startswith("Now, gently, notice") for text in texts), "the sleep session"


def test_unknown_voice_is_one_sentence(tmp_path: Path) -> None:
    result = run_cli("prepare", "--voice", "robot", "--data-dir", str(tmp_path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "no voice called 'robot'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
