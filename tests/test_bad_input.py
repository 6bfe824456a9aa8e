"""Property-based: generated session files, settings and typed lines never crash.

Each failure must be one sentence naming the file (and line where known);
nothing else may escape as a traceback.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voice_haven import script
from voice_haven.care import Care
from voice_haven.clock import VirtualClock
from voice_haven.engine import SessionEngine
from voice_haven.journal import SqliteJournal
from voice_haven.settings import SettingsError, load_settings
from voice_haven.typed import CaptionSpeaker, TypedListener


def fixture_ok(examples: int) -> settings:
    """Hypothesis settings for tests that reuse pytest's tmp_path across examples."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


KEYS = [
    "title",
    "description",
    "minutes",
    "stop_at",
    "max_rounds",
    "say",
    "pause",
    "count",
    "every",
    "colour",
    "prompts",
    "goodbye",
    "",
]
scalars = st.one_of(
    st.text(max_size=20),
    st.integers(-5, 100),
    st.floats(allow_nan=False, width=32),
    st.booleans(),
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


@st.composite
def session_texts(draw: st.DrawFn) -> str:
    """Mostly near-valid session files, with random keys, types and tables."""
    lines = [
        f"{draw(st.sampled_from(KEYS))} = {_toml_value(draw(scalars))}"
        for _ in range(draw(st.integers(0, 5)))
    ]
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"[[{draw(st.sampled_from(['steps', 'intro', 'closing', 'other']))}]]")
        lines += [
            f"{draw(st.sampled_from(KEYS))} = {_toml_value(draw(scalars))}"
            for _ in range(draw(st.integers(0, 3)))
        ]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.text(max_size=30)))
    return "\n".join(lines)


@settings(max_examples=500, deadline=None)
@given(session_texts())
def test_generated_session_files(text: str) -> None:
    try:
        loaded = script.parse(text, "gen", "gen.toml")
    except script.ScriptError as exc:
        message = str(exc)
        assert "gen.toml" in message and "\n" not in message
    else:
        assert loaded.steps


@fixture_ok(300)
@given(
    st.one_of(
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
        st.dictionaries(st.sampled_from(["country", "rate", "cue", "voice", "x"]), scalars).map(
            json.dumps
        ),
    )
)
def test_generated_settings_files(tmp_path: Path, text: str) -> None:
    (tmp_path / "settings.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        load_settings(tmp_path)
    except SettingsError as exc:
        assert "settings.json" in str(exc) and "\n" not in str(exc)


lines = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "7",
                "yes",
                "no",
                "stop",
                "pause",
                "resume",
                "skip",
                "help",
                "repeat",
                "slower",
                "faster",
                "",
                "ten",
                "it's a 3",
                "I need help",
                "0",
            ]
        ),
        st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s),
    ),
    max_size=25,
)


@fixture_ok(250)
@given(lines)
def test_generated_typed_answers(tmp_path: Path, answers: list[str]) -> None:
    clock = VirtualClock()
    journal = SqliteJournal(tmp_path / "journal-data")
    engine = SessionEngine(
        script.load("quick"),
        CaptionSpeaker(stream=io.StringIO()),
        TypedListener(clock, io.StringIO("".join(f"{a}\n" for a in answers))),
        clock,
        journal,
        Care(),
    )
    outcome = engine.run()
    assert outcome in ("completed", "stopped", "no-response", "crisis")
    values = [r.value for r in journal.sessions()[-1].ratings]
    assert all(0 <= v <= 10 for v in values)
    journal.close()
