"""Words of care: the first-run notice, crisis lines, grounding, a trusted contact.

The sentences and the phone numbers live in ``data/care.toml``; this module
chooses among them for the person's country and fills in their contact.
It is not therapy and never diagnoses: it points to people who can help.
"""

from __future__ import annotations

import locale
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .script import Step

DEFAULT_COUNTRY = "US"


@cache
def _data() -> dict[str, Any]:
    return tomllib.loads(resources.files("voice_haven.data").joinpath("care.toml").read_text())


def known_countries() -> list[str]:
    return sorted(c for entry in _data()["lines"].values() for c in entry["countries"])


def country_from_locale() -> str:
    """The country part of the locale (``en_GB.UTF-8`` gives GB), else US."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if "_" in value:
            return value.split("_", 1)[1][:2].upper()
    current = locale.getlocale()[0] or ""
    return current.split("_", 1)[1][:2].upper() if "_" in current else DEFAULT_COUNTRY


def _line_for(country: str) -> dict[str, Any]:
    lines = _data()["lines"]
    for entry in lines.values():
        if country.upper() in entry["countries"]:
            return entry
    return lines["OTHER"]


@dataclass(frozen=True)
class Care:
    """What the engine says around and outside the havening rounds."""

    country: str = DEFAULT_COUNTRY
    contact: str | None = None
    show_notice: bool = False

    def _fill(self, text: str) -> str:
        entry = _line_for(self.country)
        return text.format(
            line=entry["line"],
            short=entry["short"],
            emergency=entry["emergency"],
            contact=self.contact or "",
            contact_offer=self._contact_offer(),
        )

    def _contact_offer(self) -> str:
        if self.contact:
            return f"If you would like company, you could call {self.contact}."
        return (
            "Remember, you can stop at any time, "
            "and reaching out to someone you trust is always allowed."
        )

    def _steps(self, key: str) -> tuple[Step, ...]:
        return tuple(
            Step(say=self._fill(item["say"]), pause=item.get("pause", 0))
            for item in _data()["words"][key]
        )

    def before_session(self) -> list[str]:
        return [_data()["words"]["notice"]] if self.show_notice else []

    def crisis_message(self) -> list[str]:
        words = _data()["words"]
        lines = [self._fill(text) for text in words["crisis"]]
        if self.contact:
            lines.append(self._fill(words["crisis_contact"]))
        return lines

    def confirm_help_question(self) -> str:
        """Asked when a call for help was heard but not plainly (``engine.help_meant``)."""
        return _data()["words"]["confirm_help"]

    def help_declined(self) -> str:
        return _data()["words"]["help_declined"]

    def offer_breath_question(self) -> str:
        return _data()["words"]["offer_breath"]

    def crisis_goodbye(self) -> list[str]:
        return [self._fill(_data()["words"]["crisis_goodbye"])]

    def after_session(self, last_rating: int | None) -> list[str]:
        """A gentle pointer to people when the session ends still distressed."""
        if last_rating is None or last_rating < 7:
            return []
        key = "still_high_contact" if self.contact else "still_high"
        return [self._fill(_data()["words"][key])]

    def calming_breath(self) -> tuple[Step, ...]:
        return self._steps("calming_breath")

    def final_breath(self) -> tuple[Step, ...]:
        return self._steps("final_breath")

    def grounding(self) -> tuple[Step, ...]:
        return self._steps("grounding")
