"""What a person can say to voice-haven, and what it means.

This is the one place that defines the spoken (and typed) language of the
device. Recognizer grammars, typed answers and ``transcribe`` all come from
here, so a phrase added here is understood everywhere at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Expect(StrEnum):
    """The kind of answer a turn waits for; it selects the grammar."""

    RATING = "rating"
    YES_NO = "yes_no"
    BETWEEN = "between"
    COMMAND = "command"
    ANY = "any"
    WAKE = "wake"
    """The bedside service waiting for its wake phrase."""
    CHOICE = "choice"
    """The bedside service asking which session to start."""
    NUMBER = "number"
    """Bare numbers and nothing else: never a turn of its own, but a second
    opinion on a rating turn's answer (``recognition.second_opinion``)."""


class Intent(StrEnum):
    RATING = "rating"
    COMMAND = "command"
    SAFETY = "safety"
    WAKE = "wake"
    CHOICE = "choice"


@dataclass(frozen=True)
class Hearing:
    """One answer turn's result, whatever produced it (microphone, file, keyboard).

    ``text`` is what was recognised, empty when nothing usable was heard.
    ``speech`` says whether someone spoke at all, so the engine can tell
    "I did not catch that" from "are you still there?". ``guess`` is the
    number a closed choice between the numbers heard at a rating turn
    (``recognition.second_opinion``): the session asks about it when nothing
    was understood, and doubts a rating it disagrees with.
    """

    text: str = ""
    intent: Intent | None = None
    value: int | str | None = None
    confidence: float = 0.0
    speech: bool = False
    guess: int | None = None

    @property
    def understood(self) -> bool:
        return self.intent is not None

    def is_command(self, *names: str) -> bool:
        return self.intent is Intent.COMMAND and self.value in names

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "intent": self.intent.value if self.intent else None,
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "guess": self.guess,
        }


NOTHING = Hearing()

NUMBER_WORDS: tuple[str, ...] = (
    "zero", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten",
)  # fmt: skip

#: Words that mean a rating of zero on their own. Not "none": recognizers
#: hear it for "nine" too often, and taking a nine for a zero is the worst mishearing.
ZERO_WORDS: tuple[str, ...] = ("nothing",)

#: How people frame a number; ``{n}`` is the number word.
RATING_FRAMES: tuple[str, ...] = (  # each framing is one more way to mishear a number
    "{n}",
    "it's {n}",
    "it's a {n}",
    "about {n}",
    "{n} out of ten",
)

#: Canonical command name first, then the other ways of saying it.
COMMANDS: dict[str, tuple[str, ...]] = {
    "next": ("next", "go on", "continue"),
    "repeat": ("repeat", "say that again"),
    "pause": ("pause", "hold on", "wait"),
    "resume": ("resume", "i'm ready"),
    "stop": ("stop", "that's enough", "end session"),
    "slower": ("slower", "slow down"),
    "faster": ("faster", "speed up"),
    "louder": ("louder",),
    "quieter": ("quieter", "softer"),
    "skip": ("skip",),
    "help": ("help", "what can i say"),
    "yes": ("yes", "yeah"),
    "no": ("no", "nope"),
}

#: Commands that can be heard while a step plays (live microphone only).
BETWEEN_COMMANDS: tuple[str, ...] = (
    "stop", "pause", "resume", "repeat", "slower", "faster", "louder", "quieter", "help",
)  # fmt: skip

#: Phrases that mean a person may be in danger. Heard in every state.
SAFETY_PHRASES: tuple[str, ...] = (
    "i want to die",
    "i want to kill myself",
    "kill myself",
    "suicide",
    "i need help",
    "help me",
    "emergency",
)

DEFAULT_WAKE = "hey haven"
"""What wakes the bedside service when no other phrase is configured."""

USUAL = "usual"
"""The session choice meaning "the one I usually do"."""

#: Session names first, then the other ways of saying them; ``USUAL`` is the default session.
CHOICES: dict[str, tuple[str, ...]] = {
    "face": ("face", "the face"),
    "arms": ("arms", "the arms"),
    "palms": ("palms", "the palms"),
    "full": ("full", "the full one"),
    "quick": ("quick", "a quick one", "the quick one"),
    "sleep": ("sleep", "the sleep one"),
    USUAL: ("the usual", "usual", "as usual"),
}

#: Commands heard while waiting for the wake phrase or a session choice.
SERVICE_COMMANDS: tuple[str, ...] = ("stop", "repeat", "help", "no")

_DIGITS = {str(i): i for i in range(11)}
_WORDS = {w: i for i, w in enumerate(NUMBER_WORDS)} | dict.fromkeys(ZERO_WORDS, 0)


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes, drop punctuation and extra spaces."""
    text = text.lower().replace("\u2019", "'").replace("`", "'")
    text = re.sub(r"\s*/\s*", " out of ", text).replace("out of 10", "out of ten")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace("it is a ", "it's a ").replace("i would say", "i'd say")


def _rating_pattern() -> re.Pattern[str]:
    number = "|".join([*NUMBER_WORDS, *ZERO_WORDS, *_DIGITS])
    frames = sorted({f.replace("{n}", f"(?P<n{i}>{number})") for i, f in enumerate(RATING_FRAMES)})
    prefix = r"(?:(?:um|uh|er|so|well|i think|hmm|okay|ok)\s+)*"
    return re.compile(rf"^{prefix}(?:{'|'.join(frames)})$")


_RATING = _rating_pattern()
COMMAND_BY_PHRASE = {phrase: name for name, phrases in COMMANDS.items() for phrase in phrases}
"""The command each command phrase gives: "hold on" is "pause"."""
_CHOICE_BY_PHRASE = {phrase: name for name, phrases in CHOICES.items() for phrase in phrases}


#: Word runs that carry a safety phrase's meaning on their own, and the phrase
#: each stands for. A recognizer often loses a short word ("i want to die" heard
#: as "maybe want to die"); a missed call for help costs far more than a session
#: stopped gently by mistake, so the core of the phrase is enough. "kill me" is
#: how PocketSphinx hears some voices say "help me", and means harm on its own:
#: in the benchmark's 3,300 answers, commands and everyday sentences it came
#: only from crisis phrases.
SAFETY_CORES: tuple[tuple[str, str], ...] = (
    ("want to die", "i want to die"),
    ("want to kill", "i want to kill myself"),
    ("need help", "i need help"),
    ("kill me", "help me"),
)


def _find_safety(text: str) -> str | None:
    padded = f" {text} "
    for phrase in SAFETY_PHRASES:
        if f" {phrase} " in padded:
            return phrase
    for core, phrase in SAFETY_CORES:
        if f" {core} " in padded:
            return phrase
    return None


def _rating_value(text: str) -> int | None:
    match = _RATING.match(text)
    if not match:
        return None
    word = next(v for v in match.groupdict().values() if v)
    return _DIGITS.get(word, _WORDS.get(word))


def interpret(
    text: str, expect: Expect = Expect.ANY, confidence: float = 1.0, wake: str = DEFAULT_WAKE
) -> Hearing:
    """Give the meaning of a transcript for a turn of kind ``expect``.

    Safety phrases win over everything and are found anywhere in the text:
    a person who types or says more than the phrase must still be heard.
    Everything else must be the whole utterance, so that a long sentence
    that happens to contain "seven" is not taken for a rating. ``wake`` is
    the wake phrase a ``WAKE`` turn listens for.
    """
    clean = normalize(text)
    if not clean:
        return Hearing(text="", speech=bool(text.strip()), confidence=confidence)
    base = Hearing(text=clean, speech=True, confidence=confidence)
    phrase = _find_safety(clean)
    if phrase:
        return Hearing(clean, Intent.SAFETY, phrase, confidence, True)
    stripped = re.sub(r"^(?:please )|(?: please)$", "", clean)
    command = COMMAND_BY_PHRASE.get(stripped)
    if command and command in allowed_commands(expect):
        return Hearing(clean, Intent.COMMAND, command, confidence, True)
    if expect in (Expect.RATING, Expect.ANY, Expect.NUMBER):
        value = _rating_value(clean)
        if value is not None:
            return Hearing(clean, Intent.RATING, value, confidence, True)
    if expect is Expect.WAKE and clean == normalize(wake):
        return Hearing(clean, Intent.WAKE, clean, confidence, True)
    if expect is Expect.CHOICE and stripped in _CHOICE_BY_PHRASE:
        return Hearing(clean, Intent.CHOICE, _CHOICE_BY_PHRASE[stripped], confidence, True)
    return base


def allowed_commands(expect: Expect) -> tuple[str, ...]:
    """Command names that a turn of this kind listens for."""
    if expect is Expect.NUMBER:
        return ()
    if expect is Expect.BETWEEN:
        return BETWEEN_COMMANDS
    if expect in (Expect.WAKE, Expect.CHOICE):
        return SERVICE_COMMANDS
    return tuple(COMMANDS)


def rating_phrases() -> list[str]:
    words = [*NUMBER_WORDS, *ZERO_WORDS]
    spoken = {f.format(n=w) for f in RATING_FRAMES for w in NUMBER_WORDS}
    return sorted(spoken | set(words))


def command_phrases(expect: Expect) -> list[str]:
    return [p for name in allowed_commands(expect) for p in COMMANDS[name]]


def choice_phrases() -> list[str]:
    return [phrase for phrases in CHOICES.values() for phrase in phrases]


def phrases_for(expect: Expect, wake: str = DEFAULT_WAKE) -> list[str]:
    """Every phrase a recognizer's grammar should accept for this kind of turn.

    ``wake`` is the wake phrase of a ``WAKE`` turn (``serve --wake``).
    """
    if expect is Expect.NUMBER:
        return list(NUMBER_WORDS)
    phrases = [*command_phrases(expect), *SAFETY_PHRASES]
    if expect in (Expect.RATING, Expect.ANY):
        phrases = rating_phrases() + phrases
    elif expect is Expect.WAKE:
        phrases = [normalize(wake), *phrases]
    elif expect is Expect.CHOICE:
        phrases = choice_phrases() + phrases
    return list(dict.fromkeys(phrases))


SUPPORT_HINT = "If you need support right now, say: I need help."
"""Ends every list of what can be said: "help" may be "help me" half heard, or a first step."""


def help_text(expect: Expect) -> str:
    """A short spoken list of what can be said now, ending with how to ask for support."""
    return f"{_what_to_say(expect)} {SUPPORT_HINT}"


def _what_to_say(expect: Expect) -> str:
    if expect is Expect.RATING:
        return (
            "You can say a number from zero to ten. You can also say repeat, pause, "
            "slower, faster, skip, or stop."
        )
    if expect is Expect.YES_NO:
        return "You can say yes or no. You can also say repeat, pause, or stop."
    if expect is Expect.CHOICE:
        return (
            "You can say face, arms, palms, full, quick, or sleep, or the usual. "
            "Say stop if you do not want a session now."
        )
    return "You can say pause, repeat, slower, faster, louder, quieter, or stop, at any time."
