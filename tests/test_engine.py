"""The session engine on a virtual clock, with the real typed and caption adapters."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from voice_haven import script
from voice_haven.care import Care
from voice_haven.clock import VirtualClock
from voice_haven.engine import EngineSettings, SessionEngine
from voice_haven.journal import SqliteJournal
from voice_haven.typed import CaptionSpeaker, TypedListener
from voice_haven.vocabulary import SUPPORT_HINT, Expect, Hearing, Intent, help_text, interpret


class Run:
    """One engine run over typed lines; keeps what was said and what was saved."""

    def __init__(self, tmp_path: Path, lines: list[str], session: str = "face", **kw) -> None:
        self.clock = VirtualClock()
        self.captions = io.StringIO()
        self.journal = SqliteJournal(tmp_path / "data")
        care = kw.pop("care", Care(country="US"))
        listener = kw.pop("listener", None) or TypedListener(
            self.clock, io.StringIO("".join(f"{line}\n" for line in lines))
        )
        self.engine = SessionEngine(
            script.load(session),
            CaptionSpeaker(stream=self.captions),
            listener,
            self.clock,
            self.journal,
            care,
            EngineSettings(**kw),
        )
        self.outcome = self.engine.run()
        self.record = self.journal.sessions()[-1]

    @property
    def said(self) -> str:
        return self.captions.getvalue()

    @property
    def ratings(self) -> list[int]:
        return [r.value for r in self.record.ratings]


def test_typical_session_completes_and_keeps_every_rating(tmp_path: Path) -> None:
    run = Run(tmp_path, ["7", "yes", "4", "yes", "1", "yes"])
    assert run.outcome == "completed" == run.record.outcome
    assert run.ratings == [7, 4, 1]
    assert [r.round for r in run.record.ratings] == [0, 1, 2]
    assert run.record.ended is not None


def test_first_question_is_the_starting_rating(tmp_path: Path) -> None:
    run = Run(tmp_path, [])
    prompts = script.load("face").prompts
    before_first_question = run.said.split(prompts.first_rating)[0]
    assert "?" not in before_first_question
    assert run.outcome == "no-response"


def test_pauses_take_session_time_on_the_virtual_clock(tmp_path: Path) -> None:
    run = Run(tmp_path, ["7", "yes", "4", "yes", "1", "yes"])
    face = script.load("face")
    one_round = sum(s.pause + s.count * s.every for s in face.steps)
    assert run.clock.elapsed >= 2 * one_round


def test_stop_ends_the_session_and_keeps_ratings(tmp_path: Path) -> None:
    run = Run(tmp_path, ["8", "yes", "that's enough"])
    assert run.outcome == "stopped"
    assert run.ratings == [8]
    assert script.load("face").prompts.stopped in run.said


def test_plateau_offers_to_finish(tmp_path: Path) -> None:
    run = Run(tmp_path, ["6", "yes", "6", "yes", "6", "yes"])
    assert script.load("face").prompts.plateau in run.said
    assert run.outcome == "completed"
    assert run.ratings == [6, 6, 6]


def test_plateau_declined_goes_on_to_max_rounds(tmp_path: Path) -> None:
    run = Run(tmp_path, ["6", "yes", "6", "yes", "6", "no", "6", "no"], rounds=3)
    assert run.ratings == [6, 6, 6, 6]
    assert script.load("face").prompts.max_rounds in run.said


def test_max_rounds_ends_with_closing(tmp_path: Path) -> None:
    run = Run(tmp_path, ["8", "yes", "7", "yes", "6"], rounds=2)
    assert run.ratings == [8, 7, 6]
    assert script.load("face").prompts.max_rounds in run.said
    assert run.outcome == "completed"


def test_saying_no_to_another_round_finishes_kindly(tmp_path: Path) -> None:
    run = Run(tmp_path, ["8", "yes", "5", "no"])
    assert run.outcome == "completed"
    assert script.load("face").prompts.goodbye in run.said


def test_not_a_rating_is_reprompted_then_ends_kindly(tmp_path: Path) -> None:
    run = Run(tmp_path, ["banana", "what time is it", "purple", "eleven", "7"])
    prompts = script.load("face").prompts
    assert run.said.count(prompts.not_a_rating) == 3
    assert run.said.count(prompts.stop_hint) == 2  # from the second unclear answer on
    assert prompts.not_understood in run.said and prompts.no_response not in run.said
    assert run.outcome == "no-response"
    assert run.ratings == []


def test_a_rating_after_reprompts_is_taken(tmp_path: Path) -> None:
    run = Run(tmp_path, ["banana", "it's a seven", "yes", "about two", "no"])
    assert run.ratings == [7, 2]


def test_repeated_silence_ends_saved(tmp_path: Path) -> None:
    run = Run(tmp_path, ["9", "yes", "", "", "", ""])
    prompts = script.load("face").prompts
    assert run.said.count(prompts.silence) == 3
    assert prompts.stop_hint not in run.said and prompts.no_response in run.said
    assert run.outcome == "no-response"
    assert run.ratings == [9]


def test_end_of_input_means_the_person_has_gone(tmp_path: Path) -> None:
    run = Run(tmp_path, ["5", "yes"])
    assert run.outcome == "no-response"
    assert run.ratings == [5]


def test_end_of_input_after_the_last_rating_counts_as_completed(tmp_path: Path) -> None:
    run = Run(tmp_path, ["7", "yes", "3", "yes", "1"])
    assert run.outcome == "completed"


@pytest.mark.parametrize("command", ["help", "repeat", "slower", "faster", "louder", "quieter"])
def test_commands_at_a_prompt_ask_again(tmp_path: Path, command: str) -> None:
    run = Run(tmp_path, [command, "7", "yes", "1", "no"])
    prompts = script.load("face").prompts
    assert run.said.count(prompts.first_rating) == 2
    assert run.ratings == [7, 1]


def test_slower_slows_the_pauses(tmp_path: Path) -> None:
    plain = Run(tmp_path / "a", ["7", "yes", "1", "no"]).clock.elapsed
    slow = Run(tmp_path / "b", ["slower", "slower", "7", "yes", "1", "no"]).clock.elapsed
    assert slow > plain * 1.2


def test_pause_and_resume(tmp_path: Path) -> None:
    run = Run(tmp_path, ["pause", "", "resume", "7", "yes", "1", "no"])
    prompts = script.load("face").prompts
    assert prompts.paused in run.said and prompts.resumed in run.said
    assert run.ratings == [7, 1]


def test_stop_while_paused(tmp_path: Path) -> None:
    run = Run(tmp_path, ["4", "yes", "pause", "stop"])
    assert run.outcome == "stopped"
    assert run.ratings == [4]


def test_skip_at_a_rating_moves_on(tmp_path: Path) -> None:
    run = Run(tmp_path, ["skip", "yes", "3", "no"])
    assert run.ratings == [3]


def test_typed_crisis_phrase_stops_the_flow_and_keeps_ratings(tmp_path: Path) -> None:
    run = Run(tmp_path, ["6", "yes", "I want to kill myself", "no", "4"], care=Care(country="GB"))
    assert run.outcome == "crisis" == run.record.outcome
    assert run.ratings == [6]
    assert "116 123" in run.said
    assert "not alone" in run.said
    assert run.said.count(script.load("face").prompts.rating) == 1


def test_crisis_offers_a_breath_and_never_resumes_rounds(tmp_path: Path) -> None:
    run = Run(tmp_path, ["help me", "yes", "7", "yes"])
    assert run.outcome == "crisis"
    assert "988" in run.said
    assert "Let's breathe together" in run.said
    assert script.load("face").prompts.begin not in run.said


def test_help_lists_what_to_say_and_how_to_ask_for_support(tmp_path: Path) -> None:
    run = Run(tmp_path, ["help", "I need help", "no"])
    assert help_text(Expect.RATING) in run.said and SUPPORT_HINT in run.said
    assert run.outcome == "crisis" and "988" in run.said


def test_crisis_while_paused(tmp_path: Path) -> None:
    run = Run(tmp_path, ["5", "pause", "i want to die"])
    assert run.outcome == "crisis"
    assert run.ratings == [5]


def test_high_distress_twice_offers_grounding_and_the_contact(tmp_path: Path) -> None:
    care = Care(country="US", contact="Sam")
    run = Run(tmp_path, ["10", "yes", "9", "yes", "8", "no"], care=care)
    assert "something you can hear" in run.said
    assert "call Sam" in run.said


def test_ending_still_distressed_names_the_contact(tmp_path: Path) -> None:
    run = Run(tmp_path, ["8", "yes", "7", "no"], care=Care(contact="Sam"))
    assert "You could call Sam tonight" in run.said


def test_first_run_notice_is_said_before_anything_else(tmp_path: Path) -> None:
    run = Run(tmp_path, [], care=Care(show_notice=True))
    assert run.said.startswith("A quick note")
    assert "not therapy" in run.said.splitlines()[0]


class CommandsDuringSteps:
    """Stands in for a live microphone: hears given phrases while a step plays."""

    def __init__(self, clock: VirtualClock, answers: list[str], during: dict[int, str]) -> None:
        self.clock = clock
        self.answers = iter(answers)
        self.during = during
        self.waits = 0

    def confirmed(self, value: int) -> None:
        """Nothing to learn: answers are typed phrases."""

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        return interpret(next(self.answers, ""), expect)

    def wait(self, seconds: float) -> Hearing | None:
        self.waits += 1
        phrase = self.during.get(self.waits)
        self.clock.sleep(seconds if phrase is None else min(seconds, 0.5))
        return None if phrase is None else interpret(phrase, Expect.BETWEEN)


def test_stop_heard_during_a_step_ends_at_once(tmp_path: Path) -> None:
    clock = VirtualClock()
    listener = CommandsDuringSteps(clock, ["7", "yes"], {5: "stop"})
    run = Run(tmp_path, [], listener=listener)
    assert run.outcome == "stopped"
    assert run.ratings == [7]
    assert listener.waits == 5


def test_crisis_heard_during_a_step(tmp_path: Path) -> None:
    clock = VirtualClock()
    listener = CommandsDuringSteps(clock, ["7", "yes"], {4: "i want to die"})
    run = Run(tmp_path, [], listener=listener)
    assert run.outcome == "crisis"
    assert "988" in run.said


def test_repeat_during_a_step_says_it_again(tmp_path: Path) -> None:
    clock = VirtualClock()
    listener = CommandsDuringSteps(clock, ["7", "yes", "1", "no"], {3: "repeat"})
    run = Run(tmp_path, [], listener=listener)
    first_step = script.load("face").steps[0].say
    assert run.said.count(first_step) == 2


class Unsure:
    """Answers with a given confidence, like a recognizer that is not sure.

    An answer may also be a whole ``Hearing``, such as a miss with a guess.
    """

    def __init__(self, clock: VirtualClock, answers: list[tuple[str, float] | Hearing]) -> None:
        self.clock = clock
        self.answers = iter(answers)
        self.confirmations: list[int] = []

    def confirmed(self, value: int) -> None:
        self.confirmations.append(value)

    def listen(self, expect: Expect, timeout: float) -> Hearing:
        answer = next(self.answers, ("", 0.0))
        if isinstance(answer, Hearing):
            return answer
        text, confidence = answer
        return interpret(text, expect, confidence)

    def wait(self, seconds: float) -> Hearing | None:
        self.clock.sleep(seconds)
        return None


def test_an_unsure_rating_is_confirmed_and_can_be_corrected(tmp_path: Path) -> None:
    answers = [
        ("seven", 0.3),
        ("no", 0.9),
        ("eight", 0.9),
        ("yes", 0.9),
        ("one", 0.95),
        ("no", 0.9),
    ]
    listener = Unsure(VirtualClock(), answers)
    run = Run(tmp_path, [], listener=listener, confirm_below=0.5)
    assert "I heard seven. Is that right?" in run.said
    assert run.ratings == [8, 1]
    assert listener.confirmations == []


def test_a_confirmed_rating_is_passed_back_after_it_is_recorded(tmp_path: Path) -> None:
    """So the recognizer may learn the person's way of saying it; a skip teaches nothing."""
    answers = [("seven", 0.3), ("yes", 0.9), ("yes", 0.9), ("two", 0.3), ("skip", 0.9), ("no", 0.9)]
    listener = Unsure(VirtualClock(), answers)
    run = Run(tmp_path, [], listener=listener)
    assert run.ratings == [7, 2]
    assert listener.confirmations == [7]


def test_a_plainly_heard_rating_is_not_asked_about(tmp_path: Path) -> None:
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), [("seven", 0.9), ("no", 0.9)]))
    assert "I heard seven. Is that right?" not in run.said
    assert run.ratings == [7]


def test_a_missed_answer_with_a_guess_is_asked_about(tmp_path: Path) -> None:
    """A guess is asked about instead of asking for the whole answer again."""
    prompts = script.load("face").prompts
    guessed = Hearing(text="it's a", speech=True, confidence=0.9, guess=3)
    unguessed = Hearing(text="what time", speech=True, confidence=0.9)
    answers = [guessed, ("yes", 0.9), ("yes", 0.9), unguessed, ("two", 0.9), ("no", 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    assert "I heard three. Is that right?" in run.said
    assert prompts.not_a_rating in run.said
    assert run.ratings == [3, 2]


def test_a_declined_number_is_not_offered_again(tmp_path: Path) -> None:
    """After "no" to three, a guess of three is a miss; a doubted three offers the other number."""
    prompts = script.load("face").prompts
    answers = [
        Hearing(text="go", speech=True, confidence=0.9, guess=3),
        ("no", 0.9),
        Hearing(text="go", speech=True, confidence=0.9, guess=3),
        Hearing(text="three", intent=Intent.RATING, value=3, confidence=0.9, speech=True, guess=2),
        ("yes", 0.9),
        ("no", 0.9),
    ]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    assert run.said.count("I heard three. Is that right?") == 1
    assert prompts.not_a_rating in run.said
    assert "I heard two. Is that right?" in run.said
    assert run.ratings == [2]


def test_sleep_session_is_slower_and_lets_a_sleeper_sleep(tmp_path: Path) -> None:
    run = Run(tmp_path, ["6", "yes", "", "", "", ""], session="sleep")
    assert run.outcome == "completed"
    assert run.ratings == [6]
    assert script.load("sleep").prompts.silence not in run.said
    quick = Run(tmp_path / "f", ["6", "yes", "5", "no"], session="arms").clock.elapsed
    assert run.clock.elapsed > quick


def test_the_core_of_a_safety_phrase_is_enough() -> None:
    """A recognizer that drops "i" from "i want to die" must still raise the alarm."""
    heard = interpret("maybe want to die", Expect.RATING)
    assert heard.intent is Intent.SAFETY and heard.value == "i want to die"
    assert interpret("i need help now", Expect.YES_NO).value == "i need help"
    assert interpret("three kill me", Expect.RATING).intent is Intent.SAFETY


def test_a_doubtful_stop_is_checked_and_no_carries_on(tmp_path: Path) -> None:
    answers = [("stop", 0.4), ("no", 0.9), ("seven", 0.9), ("no", 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    prompts = script.load("face").prompts
    assert prompts.confirm_stop in run.said and prompts.carry_on in run.said
    assert run.ratings == [7]


@pytest.mark.parametrize("reply", ["yes", "stop", ""])
def test_a_doubtful_stop_stops_unless_the_answer_is_no(tmp_path: Path, reply: str) -> None:
    answers = [("six", 0.9), ("stop", 0.4), (reply, 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    assert script.load("face").prompts.confirm_stop in run.said
    assert run.outcome == "stopped" and run.ratings == [6]


def test_a_clear_stop_is_never_questioned(tmp_path: Path) -> None:
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), [("stop", 0.9)]))
    assert script.load("face").prompts.confirm_stop not in run.said
    assert run.outcome == "stopped"


def test_a_doubtful_call_for_help_is_asked_about_and_no_carries_on(tmp_path: Path) -> None:
    """A call for help heard beside numbers may be a misheard rating: one question first."""
    answers = [("help me five eight", 0.4), ("no", 0.9), ("seven", 0.9), ("no", 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    care = Care(country="US")
    assert care.confirm_help_question() in run.said and care.help_declined() in run.said
    assert "988" not in run.said
    assert run.outcome != "crisis" and run.ratings == [7]


@pytest.mark.parametrize("reply", ["yes", "", "seven"])
def test_a_doubtful_call_for_help_gets_the_crisis_line_unless_the_answer_is_no(
    tmp_path: Path, reply: str
) -> None:
    answers = [("six", 0.9), ("yes", 0.9), ("want to die", 0.4), (reply, 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers), rounds=1)
    assert Care(country="US").confirm_help_question() in run.said
    assert "988" in run.said
    assert run.outcome == "crisis" and run.ratings == [6]


def test_a_clear_call_for_help_is_never_questioned(tmp_path: Path) -> None:
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), [("i want to die", 0.9)]))
    assert Care(country="US").confirm_help_question() not in run.said
    assert run.outcome == "crisis" and "988" in run.said


def test_a_doubtful_call_for_help_while_paused_is_asked_about(tmp_path: Path) -> None:
    answers = [("pause", 0.9), ("emergency kill", 0.4), ("no", 0.9), ("resume", 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    assert Care(country="US").help_declined() in run.said
    assert run.outcome != "crisis" and "988" not in run.said


def test_a_command_that_sounds_like_a_number_is_asked_about_first(tmp_path: Path) -> None:
    """george's "two" comes through as "next"; the number bank says two."""
    two = Hearing("next", Intent.COMMAND, "next", 0.9, True, guess=2)
    answers = [two, ("yes", 0.9), ("no", 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    assert "I heard two. Is that right?" in run.said
    assert run.ratings == [2]


def test_a_command_that_sounds_like_a_declined_number_is_carried_out(tmp_path: Path) -> None:
    skip = Hearing("skip", Intent.COMMAND, "skip", 0.9, True, guess=2)
    answers = [skip, ("no", 0.9), skip, ("no", 0.9)]
    run = Run(tmp_path, [], listener=Unsure(VirtualClock(), answers))
    assert run.said.count("I heard two. Is that right?") == 1
    assert run.ratings == []
