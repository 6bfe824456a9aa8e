"""Every sentence a shipped session can say, so ``prepare`` can render them all ahead of time.

Sentences are collected exactly as the engine will say them (care words
filled in for the person's country and contact), because the cache is keyed
by the exact text: a near miss is a miss.
"""

from __future__ import annotations

from dataclasses import astuple

from .. import script
from ..care import Care, country_from_locale
from ..script import Script, Step
from ..settings import Settings
from ..vocabulary import Expect, help_text

RATINGS_SO_HIGH = 10
"""A rating that makes the engine add the "reach out" sentence at the end."""


def _step_texts(steps: tuple[Step, ...]) -> list[str]:
    texts = [step.say for step in steps]
    for step in steps:
        texts += [str(n) for n in range(1, step.count + 1)]
    return texts


def script_texts(session: Script) -> list[str]:
    texts = _step_texts(session.intro) + _step_texts(session.steps) + _step_texts(session.closing)
    return texts + [str(value) for value in astuple(session.prompts)]


def care_texts(care: Care) -> list[str]:
    texts = care.before_session() + care.crisis_message() + care.crisis_goodbye()
    texts += [care.confirm_help_question(), care.help_declined(), care.offer_breath_question()]
    texts += care.after_session(RATINGS_SO_HIGH)
    for steps in (care.calming_breath(), care.final_breath(), care.grounding()):
        texts += _step_texts(steps)
    return texts


def all_texts(settings: Settings, sessions: list[Script] | None = None) -> list[str]:
    """Each distinct sentence once, in the order a session meets them."""
    care = Care(
        country=settings.country or country_from_locale(),
        contact=settings.contact_name,
        show_notice=True,
    )
    found: list[str] = []
    for session in sessions if sessions is not None else _shipped():
        found += script_texts(session)
    found += care_texts(care)
    found += [help_text(expect) for expect in Expect]
    return [text for text in dict.fromkeys(found) if text.strip()]


def _shipped() -> list[Script]:
    return [script.load(name) for name in script.available()]
