"""The session engine: sequences a havening session, and nothing else.

It speaks, listens, keeps time and writes the journal only through the
interfaces in ``ports``; it knows no audio device, recognizer, file or CLI.
Control flow worth knowing:

* steps advance by time; the person never has to say "next";
* commands (stop, pause, repeat, ...) work at every prompt and, where the
  listener can hear between prompts, during steps too;
* a safety phrase, heard anywhere, ends the havening flow for good and hands
  over to ``care``; ratings already given are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from .care import Care
from .ports import Clock, InputClosed, Journal, Listener, Speaker
from .script import Script, Step
from .vocabulary import NUMBER_WORDS, Expect, Hearing, Intent, help_text


@dataclass(frozen=True)
class EngineSettings:
    answer_timeout: float = 10.0
    """Seconds of silence after a question before the guide gently asks again."""

    max_reprompts: int = 3
    """Re-prompts at one question before the session ends kindly, saved."""

    rounds: int | None = None
    """Overrides the script's ``max_rounds`` (the ``--rounds`` option)."""

    pace_step: float = 0.15
    """How much one "slower" or "faster" changes the pace (fraction of normal)."""

    pause_limit: float = 900.0
    """Seconds a pause may last without a word before the session ends, saved."""

    confirm_below: float = 0.6
    """Ask "I heard seven, is that right?" when a rating's confidence is below this.

    With PocketSphinx a rating the second opinion doubts gets 0.5
    (``recognition.second_opinion``), one heard plainly 0.8-0.9; with Vosk it
    is the least sure word's confidence; a typed rating has 1.0. A missed answer with a
    ``guess`` is asked about the same way. A "no" asks for the number again.
    """

    confirm_stop_below: float = 0.5
    """Ask "Did you say stop?" when a "stop" is heard with less confidence than this.

    PocketSphinx gives 0.4 to a "stop" that only its second listen, a
    keyword spotter, found (``recognition.sphinx``), and so does the stop
    model's last listen for a word both missed (``recognition.stop_check``);
    a word its language model heard gets 0.9, and typed answers 1.0.
    Anything but "no" to the question stops: a person who asked to stop and
    then stays silent is not kept.
    """

    confirm_help_below: float = 0.5
    """Ask "Are you asking for help?" when a call for help is heard with less confidence.

    PocketSphinx gives 0.4 to one whose words were not only a safety phrase
    ("help me on small" for "did you lock the front door"), 0.9 to one that
    was; typed ones have 1.0. Only a clear "no" carries on (``help_meant``).
    """


class SessionOver(Exception):
    """Raised from deep in the flow to end the session with an outcome."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


@dataclass
class _State:
    session_id: int = 0
    round_no: int = 0
    pace: float = 1.0
    gain: float = 1.0
    crisis: bool = False
    rounds_done: bool = False


_PACE_RANGE = (0.55, 1.6)
_GAIN_RANGE = (0.25, 2.0)


class SessionEngine:
    def __init__(
        self,
        script: Script,
        speaker: Speaker,
        listener: Listener,
        clock: Clock,
        journal: Journal,
        care: Care,
        settings: EngineSettings | None = None,
    ) -> None:
        self.script = script
        self.prompts = script.prompts
        self.speaker = speaker
        self.listener = listener
        self.clock = clock
        self.journal = journal
        self.care = care
        self.settings = settings or EngineSettings()
        self.state = _State()
        self.ratings: list[int] = []

    @property
    def max_rounds(self) -> int:
        return self.settings.rounds or self.script.max_rounds

    def run(self) -> str:
        """Run the whole session; return its outcome, already in the journal."""
        self.state.session_id = self.journal.begin(self.script.name, self.clock.now())
        try:
            for line in self.care.before_session():
                self.speaker.say(line)
            outcome = self._flow()
        except SessionOver as over:
            outcome = over.outcome
        except InputClosed:
            outcome = "completed" if self.state.rounds_done else "no-response"
        if self.state.crisis:
            outcome = "crisis"
        self.journal.end(self.state.session_id, outcome, self.clock.now())
        return outcome

    def interrupt(self) -> None:
        """Record the session as interrupted (Ctrl-C, SIGTERM); ratings stay."""
        if self.state.session_id:
            outcome = "crisis" if self.state.crisis else "interrupted"
            self.journal.end(self.state.session_id, outcome, self.clock.now())

    # --- the flow -----------------------------------------------------------

    def _flow(self) -> str:
        self._steps(self.script.intro)
        self._ask_rating(self.prompts.first_rating)
        if not self._ask_yes_no(self.prompts.begin, on_skip=True):
            self.speaker.say(self.prompts.stopped)
            return "stopped"
        for round_no in range(1, self.max_rounds + 1):
            self.state.round_no = round_no
            self._steps(self.script.steps)
            value = self._ask_rating(self.prompts.rating)
            if value is not None and value <= self.script.stop_at:
                self.state.rounds_done = True
                if self._ask_yes_no(self.prompts.settled, on_skip=False):
                    self._steps(self.care.final_breath())
                return self._finish()
            if self._plateau():
                if self._ask_yes_no(self.prompts.plateau, on_skip=True):
                    return self._finish()
            elif round_no < self.max_rounds:
                self._offer_grounding_if_distressed()
                if not self._ask_yes_no(self.prompts.another, on_skip=True):
                    return self._finish()
        self.state.rounds_done = True
        self.speaker.say(self.prompts.max_rounds)
        return self._finish()

    def _finish(self) -> str:
        self.state.rounds_done = True
        self._steps(self.script.closing)
        last = self.ratings[-1] if self.ratings else None
        for line in self.care.after_session(last):
            self.speaker.say(line)
        self.speaker.say(self.prompts.goodbye)
        return "completed"

    def _plateau(self) -> bool:
        """The rating stayed the same across the last two rounds."""
        last = self.ratings[-3:]
        return len(last) == 3 and len(set(last)) == 1

    def _offer_grounding_if_distressed(self) -> None:
        if len(self.ratings) >= 2 and min(self.ratings[-2:]) >= 9:
            for step in self.care.grounding():
                self._step(step)

    # --- steps --------------------------------------------------------------

    def _steps(self, steps: tuple[Step, ...]) -> None:
        for step in steps:
            self._step(step)

    def _step(self, step: Step) -> None:
        if self.script.fade and self.state.round_no == self.max_rounds:
            self.state.gain = max(self.state.gain * 0.85, _GAIN_RANGE[0])
            self.speaker.set_gain(self.state.gain)
        while True:
            self.speaker.say(step.say)
            action = None
            for number in range(1, step.count + 1):
                self.speaker.say(str(number))
                action = self._wait(step.every)
                if action:
                    break
            action = action or self._wait(step.pause)
            if action != "repeat":
                return

    def _wait(self, seconds: float) -> str | None:
        """Let a (paced) pause pass; returns "repeat" or "skip" if asked for."""
        remaining = seconds / (self.state.pace * self.script.pace)
        while remaining > 0.05:
            started = self.clock.now()
            heard = self.listener.wait(remaining)
            if heard is None:
                return None
            remaining -= (self.clock.now() - started).total_seconds()
            action = self._react(heard, Expect.BETWEEN)
            if action in ("repeat", "skip", "next"):
                return "skip" if action == "next" else action
        return None

    # --- questions ----------------------------------------------------------

    def _ask_rating(self, prompt: str) -> int | None:
        """Ask for a rating; a doubtful one is checked, and a declined one not offered again.

        A rating the person confirmed is passed back to the listener after it
        is recorded, so a recognizer may learn how this person says it.
        """
        asleep_ok = self.script.drift_off and self.state.round_no >= 1
        declined: set[int] = set()
        confirmed = False
        while True:
            heard = self._ask(prompt, Expect.RATING, self.prompts.not_a_rating, asleep_ok, declined)
            if heard is None:
                return None
            value, sure = self._proposal(heard, declined)
            if sure:
                break
            check = self.prompts.confirm_rating.replace("{value}", NUMBER_WORDS[value])
            answer = self._ask(check, Expect.YES_NO, self.prompts.not_yes_no)
            confirmed = answer is not None and answer.value == "yes"
            if answer is None or confirmed:
                break
            declined.add(value)
            prompt = self.prompts.misheard
        self.ratings.append(value)
        self.journal.rating(self.state.session_id, self.state.round_no, value, self.clock.now())
        if confirmed:
            self.listener.confirmed(value)
        return value

    def _proposal(self, heard: Hearing, declined: set[int]) -> tuple[int, bool]:
        """The number to record or ask about, and whether it may be recorded without asking.

        When the person has just said no to the number heard, the second
        opinion's number is offered instead, if it names another.
        """
        if heard.intent is not Intent.RATING:
            return int(heard.guess), False  # type: ignore[arg-type]
        value = int(heard.value)  # type: ignore[arg-type]
        if value in declined:
            other = heard.guess
            return (value if other is None or other in declined else other), False
        return value, heard.confidence >= self.settings.confirm_below

    def _ask_yes_no(self, prompt: str, on_skip: bool) -> bool:
        heard = self._ask(prompt, Expect.YES_NO, self.prompts.not_yes_no)
        return on_skip if heard is None else heard.value == "yes"

    def _ask(
        self,
        prompt: str,
        expect: Expect,
        reprompt: str,
        asleep_ok: bool = False,
        declined: set[int] | None = None,
    ) -> Hearing | None:
        """Ask until an answer of kind ``expect`` comes; None when the person skips.

        With ``asleep_ok``, silence means the person has drifted off: the session
        ends there, quietly, rather than waking them with re-prompts. A guess at
        one of the ``declined`` numbers counts as not heard.
        """
        self.speaker.say(prompt)
        misses = 0
        while True:
            heard = self.listener.listen(expect, self.settings.answer_timeout)
            if self._is_answer(heard, expect, declined or set()):
                return heard
            action = self._react(heard, expect) if heard.understood else None
            if action in ("skip", "next"):
                return None
            if action is not None:
                self.speaker.say(prompt)
                continue
            if asleep_ok and not heard.speech:
                self.state.rounds_done = True
                raise SessionOver("completed")
            misses += 1
            if misses > self.settings.max_reprompts:
                ending = self.prompts.not_understood if heard.speech else self.prompts.no_response
                self.speaker.say(ending)
                raise SessionOver("completed" if self.state.rounds_done else "no-response")
            self._reprompt(reprompt if heard.speech else self.prompts.silence, heard, misses)

    def _reprompt(self, words: str, heard: Hearing, misses: int) -> None:
        """Ask again; from the second unclear answer on, say that "stop" ends it.

        The person may have been saying "stop" all along and not been heard:
        with their eyes closed, they must not be left thinking it does not work.
        """
        self.speaker.say(words)
        if heard.speech and misses > 1:
            self.speaker.say(self.prompts.stop_hint)

    @staticmethod
    def _is_answer(heard: Hearing, expect: Expect, declined: set[int]) -> bool:
        """An answer to act on; a guess at a number the person has declined is not one."""
        if expect is Expect.RATING:
            return heard.intent is Intent.RATING or heard.guess not in (None, *declined)
        return heard.is_command("yes", "no")

    # --- commands and safety, in every state -------------------------------

    def _react(self, heard: Hearing, expect: Expect) -> str | None:
        """Act on a command or safety phrase; return the command for the caller."""
        if heard.intent is Intent.SAFETY:
            self._call_for_help(heard)
            return "carry on"
        if heard.intent is not Intent.COMMAND:
            return None
        command = str(heard.value)
        if command == "stop":
            if heard.confidence < self.settings.confirm_stop_below and not self._stop_meant():
                self.speaker.say(self.prompts.carry_on)
                return "carry on"
            self.speaker.say(self.prompts.stopped)
            raise SessionOver("completed" if self.state.rounds_done else "stopped")
        if command == "pause":
            self._pause()
        elif command == "help":
            self.speaker.say(help_text(expect))
        elif command in ("slower", "faster"):
            self._change_pace(command)
        elif command in ("louder", "quieter"):
            self._change_gain(command)
        return command

    def _stop_meant(self) -> bool:
        """Check a doubtful "stop": only a clear "no" carries on."""
        self.speaker.say(self.prompts.confirm_stop)
        heard = self.listener.listen(Expect.YES_NO, self.settings.answer_timeout)
        if heard.intent is Intent.SAFETY:
            self._call_for_help(heard)
        return not heard.is_command("no")

    def _change_pace(self, command: str) -> None:
        step = self.settings.pace_step if command == "faster" else -self.settings.pace_step
        self.state.pace = min(max(self.state.pace + step, _PACE_RANGE[0]), _PACE_RANGE[1])
        self.speaker.set_pace(self.state.pace)
        self.speaker.say(getattr(self.prompts, command))

    def _change_gain(self, command: str) -> None:
        factor = 1.3 if command == "louder" else 1 / 1.3
        self.state.gain = min(max(self.state.gain * factor, _GAIN_RANGE[0]), _GAIN_RANGE[1])
        self.speaker.set_gain(self.state.gain)
        self.speaker.say(getattr(self.prompts, command))

    def _pause(self) -> None:
        self.speaker.say(self.prompts.paused)
        waited = 0.0
        while waited < self.settings.pause_limit:
            started = self.clock.now()
            heard = self.listener.listen(Expect.COMMAND, self.settings.answer_timeout * 3)
            waited += max((self.clock.now() - started).total_seconds(), 1.0)
            if heard.intent is Intent.SAFETY:
                self._call_for_help(heard)
            if heard.is_command("resume", "next", "yes", "pause"):
                self.speaker.say(self.prompts.resumed)
                return
            if heard.is_command("stop", "no"):
                self.speaker.say(self.prompts.stopped)
                raise SessionOver("completed" if self.state.rounds_done else "stopped")
        self.speaker.say(self.prompts.no_response)
        raise SessionOver("no-response")

    def _call_for_help(self, heard: Hearing) -> None:
        """Answer a call for help with the crisis line, unless a doubtful one was not meant."""
        timeout, below = self.settings.answer_timeout, self.settings.confirm_help_below
        if help_meant(heard, self.care, self.speaker, self.listener, timeout, below):
            self._crisis()

    def _crisis(self) -> None:
        """Stop the havening flow for good and offer care; never resumes rounds."""
        self.state.crisis = True
        self.journal.end(self.state.session_id, "crisis", self.clock.now())
        give_crisis_care(
            self.care, self.speaker, self.listener, self.clock, self.settings.answer_timeout * 2
        )
        raise SessionOver("crisis")


def help_meant(
    heard: Hearing,
    care: Care,
    speaker: Speaker,
    listener: Listener,
    timeout: float,
    confirm_below: float,
) -> bool:
    """Whether a call for help was meant; a doubtful one is asked about first.

    Only a clear "no" carries on: someone who may have asked for help and
    then says nothing, or something unclear, is given the crisis line. A
    recognizer that hears "help me" in "about eight" would otherwise end a
    session in crisis care, which is what made this question worth asking.
    """
    if heard.confidence >= confirm_below:
        return True
    speaker.say(care.confirm_help_question())
    try:
        answer = listener.listen(Expect.YES_NO, timeout)
    except InputClosed:
        return True
    if not answer.is_command("no"):
        return True
    speaker.say(care.help_declined())
    return False


def give_crisis_care(
    care: Care, speaker: Speaker, listener: Listener, clock: Clock, timeout: float
) -> None:
    """The crisis line, one offered calming breath, and a kind goodbye.

    Shared by the session and the bedside service, so a call for help is
    answered the same way whether or not a session is running.
    """
    for line in care.crisis_message():
        speaker.say(line)
    speaker.say(care.offer_breath_question())
    try:
        heard = listener.listen(Expect.YES_NO, timeout)
    except InputClosed:  # any trouble just means "no answer"
        heard = Hearing()
    if heard.is_command("yes", "next", "resume"):
        for step in care.calming_breath():
            speaker.say(step.say)
            clock.sleep(step.pause)
    for line in care.crisis_goodbye():
        speaker.say(line)
