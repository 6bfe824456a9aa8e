"""``voice-haven serve``: the bedside service, driven through replay and a fake sound card.

The answers are real speech: sentences rendered by the natural hibari voice
(so the test does not hang on the accuracy of human clips, which is
measured elsewhere), heard by the real PocketSphinx recognizer, with the
journal in a real SQLite file. Only the sound card is faked.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundcard_fake as fake
from click.testing import CliRunner
from conftest import run_cli

from voice_haven.audio.listener import AudioListener
from voice_haven.audio.resample import resample
from voice_haven.audio.sources import MicrophoneSource
from voice_haven.cli import main
from voice_haven.clock import VirtualClock
from voice_haven.floor import Floor
from voice_haven.journal import open_journal
from voice_haven.options import RunOptions
from voice_haven.recognition.sphinx import SphinxRecognizer
from voice_haven.runner import CuedListener, care_for, guide, open_home
from voice_haven.script import load
from voice_haven.service import Bedside, Service, ServiceSettings
from voice_haven.settings import Settings
from voice_haven.speech import build_speaker
from voice_haven.speech.render import PromptRenderer
from voice_haven.speech.sinks import to_pcm16
from voice_haven.speech.voices import find_voice
from voice_haven.vocabulary import Expect, Intent, interpret, phrases_for

MIC_RATE = 48000


@pytest.fixture(scope="module")
def voice() -> PromptRenderer:
    return PromptRenderer(find_voice("hibari"), None)


def spoken(voice: PromptRenderer, folder: Path, *answers: str) -> Path:
    """One WAV per answer, named in the order they will be replayed."""
    folder.mkdir()
    for number, text in enumerate(answers):
        with wave.open(str(folder / f"{number:02d}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(voice.sample_rate)
            out.writeframes(to_pcm16(voice.prompt(text, 140)))
    return folder


def history(data: Path) -> list[dict[str, Any]]:
    result = run_cli("history", "--json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def serve(*args: str) -> Any:
    return run_cli("serve", "--recognizer", "sphinx", *args, timeout=300)


def test_serve_help_describes_the_service() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--wake", "--session", "--max-sessions", "--audio-in", "--input-device"):
        assert option in result.output


def test_wake_choose_and_rate_then_wait_again(voice: PromptRenderer, tmp_path: Path) -> None:
    answers = spoken(
        voice, tmp_path / "answers",
        "hey haven", "face", "seven", "yes", "zero", "yes",  # a whole session
        "hey haven", "Stop.",  # woken again, and sent back to waiting
    )  # fmt: skip
    data = tmp_path / "data"
    result = serve("--audio-in", str(answers), "--audio-out", str(tmp_path / "heard.wav"),
                   "--data-dir", str(data))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        f"<6>Listening with PocketSphinx (US English), replaying the answers in {answers}.",
        '<6>Listening for "hey haven".',
        "<6>Woke.",
        "<6>Session face started.",
        "<6>Session face ended: completed.",
        '<6>Listening for "hey haven".',
        "<6>Woke.",
        "<6>No session chosen.",
        '<6>Listening for "hey haven".',
        "<6>No more replayed answers; stopping.",
    ]
    (session,) = history(data)
    assert (session["session"], session["outcome"]) == ("face", "completed")
    assert [r["value"] for r in session["ratings"]] == [7, 0]


def test_the_default_session_starts_straight_after_the_wake_phrase(
    voice: PromptRenderer, tmp_path: Path
) -> None:
    answers = spoken(voice, tmp_path / "answers", "hey haven", "seven", "Stop.")
    data = tmp_path / "data"
    result = serve("--session", "quick", "--audio-in", str(answers), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert "<6>Session quick ended: stopped." in result.stdout
    (session,) = history(data)
    assert session["session"] == "quick" and [r["value"] for r in session["ratings"]] == [7]


def test_the_usual_is_the_session_done_last(voice: PromptRenderer, tmp_path: Path) -> None:
    answers = spoken(
        voice, tmp_path / "answers",
        "hey haven", "palms", "seven", "Stop.",
        "hey haven", "the usual", "seven", "Stop.",
    )  # fmt: skip
    data = tmp_path / "data"
    result = serve("--audio-in", str(answers), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert [s["session"] for s in history(data)] == ["palms", "palms"]


def test_a_call_for_help_while_waiting_gives_the_crisis_line(
    voice: PromptRenderer, tmp_path: Path
) -> None:
    answers = spoken(voice, tmp_path / "answers", "help me")
    data = tmp_path / "data"
    result = serve("--audio-in", str(answers), "--data-dir", str(data), "--country", "GB")
    assert result.returncode == 0, result.stderr
    assert "<4>A call for help was heard; the crisis line was given." in result.stdout
    assert history(data) == []


def test_a_doubtful_call_for_help_while_waiting_is_asked_about(
    voice: PromptRenderer, tmp_path: Path
) -> None:
    """PocketSphinx hears "want to kill" in this sentence; a "no" to the question carries on."""
    answers = spoken(voice, tmp_path / "answers", "The cat wants to go outside.", "No.")
    result = serve("--audio-in", str(answers), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "<6>A doubtful call for help was not meant." in result.stdout
    assert "crisis line was given" not in result.stdout


def test_max_sessions_ends_the_service(voice: PromptRenderer, tmp_path: Path) -> None:
    answers = spoken(voice, tmp_path / "answers", "hey haven", "seven", "Stop.", "hey haven")
    result = serve("--session", "quick", "--max-sessions", "1", "--audio-in", str(answers),
                   "--data-dir", str(tmp_path / "data"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "<6>Session quick ended: stopped."


@pytest.mark.parametrize(
    ("wake", "problem"),
    [
        ("", "should be plain words"),
        ("hey 2 haven", "should be plain words"),
        ("one two three four five six", "at most 5 words"),
        ("hey zorblax", 'PocketSphinx does not know the word "zorblax"'),
    ],
)
def test_a_wake_phrase_that_cannot_work_is_one_sentence(
    wake: str, problem: str, tmp_path: Path
) -> None:
    result = serve("--wake", wake, "--audio-in", str(tmp_path), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert problem in result.stderr and "Traceback" not in result.stderr


def test_a_wrong_session_is_reported_at_start(tmp_path: Path) -> None:
    result = serve("--session", "elbows", "--audio-in", str(tmp_path), "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "elbows" in result.stderr


def test_a_configured_wake_phrase_is_the_one_listened_for() -> None:
    wake = "good evening haven"
    assert wake in phrases_for(Expect.WAKE, wake)
    assert "hey haven" not in phrases_for(Expect.WAKE, wake)
    assert interpret("Good evening, Haven.", Expect.WAKE, wake=wake).intent is Intent.WAKE
    assert interpret("hey haven", Expect.WAKE, wake=wake).intent is None
    # Out of a wake turn the phrase means nothing, and a call for help is always heard.
    assert interpret("hey haven", Expect.RATING).intent is None
    assert interpret("help me", Expect.WAKE).intent is Intent.SAFETY
    choice = interpret("the usual please", Expect.CHOICE)
    assert (choice.intent, choice.value) == (Intent.CHOICE, "usual")


# --- the microphone unplugged and plugged back, on the fake sound card ------


def room(seconds: float) -> np.ndarray:
    return fake.room(seconds, MIC_RATE, seed=5)


def test_an_unplugged_microphone_is_retried_until_it_is_back(
    voice: PromptRenderer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recognizer = SphinxRecognizer()  # loaded before any audio flows, as the service does
    wake = resample(voice.prompt("hey haven", 140), voice.sample_rate, MIC_RATE)
    # The source's own reopening is refused first, then the service's first two attempts.
    card = fake.ScriptedMicrophone(
        MIC_RATE,
        room(0.3),
        first_dies=True,
        refusals=3,
        later=np.concatenate([room(0.5), wake, room(1.0)]),
    )
    sd = fake.install(monkeypatch, [fake.HDMI, {**fake.USB_MIC, "rate": float(MIC_RATE)}])
    monkeypatch.setattr(sd, "InputStream", card.stream)

    options = RunOptions(data_dir=tmp_path / "data", audio_out=tmp_path / "heard.wav")
    home = open_home(options)
    clock = VirtualClock()  # the waits between attempts pass at once
    speaker = build_speaker(options, Settings(), clock, Floor())

    def open_ears() -> CuedListener:
        listener = AudioListener(MicrophoneSource.for_device("USB"), recognizer, clock)
        return CuedListener(listener, speaker.cue, listener.close)

    bedside = Bedside(
        speaker=speaker,
        clock=clock,
        open_ears=open_ears,
        guide=lambda name, ears: guide(load(name), speaker, ears, clock, home),
        usual=lambda: "face",
        care=lambda: care_for(Settings()),
    )
    settings = ServiceSettings(session="quick", max_sessions=1)
    with caplog.at_level("INFO", logger="voice_haven"):
        assert Service(bedside, settings).run() == 1
    speaker.close()

    events = [r.getMessage() for r in caplog.records if r.name == "voice_haven.service"]
    refused = (
        f"The microphone {fake.USB_MIC['name']} could not be opened (Device unavailable); "
        "check it is plugged in and not used by another program."
    )
    assert events == [
        'Listening for "hey haven".',
        "The microphone stopped working; trying again in 1 s.",
        f"{refused} Trying again in 2 s.",
        f"{refused} Trying again in 4 s.",
        "The microphone is back.",
        'Listening for "hey haven".',
        "Woke.",
        "Session quick started.",
        "Session quick ended: no-response.",
    ]
    assert clock.elapsed >= 1 + 2 + 4
    (session,) = open_journal(home.data_dir).sessions()
    assert (session.session, session.outcome) == ("quick", "no-response")
