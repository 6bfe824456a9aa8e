"""Session files: shipped ones load, broken ones name the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_haven import script

GOOD = """\
title = "Mine"
description = "A test session."
minutes = 4

[[steps]]
say = "Rub your palms."
pause = 2
"""


def test_every_shipped_session_loads() -> None:
    names = script.available()
    assert {"face", "arms", "palms", "full", "quick"} <= set(names)
    for name in names:
        loaded = script.load(name)
        assert loaded.steps and loaded.title and loaded.minutes > 0


def test_quick_is_one_short_round() -> None:
    assert script.load("quick").max_rounds == 1


def test_havening_round_has_the_protocol_parts() -> None:
    for name in ("face", "arms", "palms", "full"):
        words = " ".join(step.say.lower() for step in script.load(name).steps)
        counts = [step.count for step in script.load(name).steps]
        assert 20 in counts, name
        for part in ("staircase", "hum", "right", "left", "breath"):
            assert part in words, (name, part)


def test_a_session_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    loaded = script.load(str(path))
    assert loaded.name == "mine" and loaded.stop_at == 1 and loaded.max_rounds == 5


def test_unknown_session_lists_the_real_ones() -> None:
    with pytest.raises(script.UnknownSession, match=r"nosuch.*face"):
        script.load("nosuch")


def _error(text: str) -> str:
    with pytest.raises(script.ScriptError) as info:
        script.parse(text, "broken", "broken.toml")
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('[[steps]\nsay = "unterminated\n', 1, "not valid TOML"),
        (GOOD + "colour = 3\n", 8, "unknown key 'colour'"),
        (GOOD.replace("minutes = 4", 'minutes = "four"'), 3, "'minutes' must be a number"),
        (GOOD + '\n[[steps]]\nsay = ""\n', 9, "nothing to say"),
        (GOOD + '\n[[steps]]\nsay = "Hum."\nlength = 3\n', 11, "unknown key 'length'"),
        (GOOD.replace("pause = 2", 'pause = "two"'), 7, "'pause' in steps must be a number"),
        ("stop_at = 12\n" + GOOD, 1, "'stop_at' must be between 0 and 10"),
        ("max_rounds = true\n" + GOOD, 1, "'max_rounds' must be a whole number"),
        (GOOD + '\n[prompts]\ngreeting = "Hi"\n', 10, "unknown prompt 'greeting'"),
        (GOOD.replace("[[steps]]", "[[intro]]"), None, "required key 'steps'"),
        ("title = 'x'\ndescription = 'y'\nminutes = 1\nsteps = []\n", 4, "at least one step"),
    ],
)
def test_errors_name_file_line_and_problem(text: str, line: int | None, problem: str) -> None:
    message = _error(text)
    assert "broken.toml" in message
    assert problem in message
    if line is not None:
        assert f"line {line}" in message
    assert "\n" not in message


def test_missing_and_unreadable_files_are_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(script.ScriptError, match="does not exist"):
        script.load(str(tmp_path / "none.toml"))
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(script.ScriptError, match=r"bin\.toml"):
        script.load(str(binary))


def test_prompts_can_be_overridden(tmp_path: Path) -> None:
    path = tmp_path / "kind.toml"
    path.write_text(GOOD + '\n[prompts]\ngoodbye = "Sleep well."\n')
    assert script.load(str(path)).prompts.goodbye == "Sleep well."
