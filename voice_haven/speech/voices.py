"""The voices a person can choose with ``--voice NAME``: espeak-ng via pyttsx3, and natural ones.

espeak-ng ships many English accents and many "variants" (pitch, breath,
roughness); most variants are novelty voices. The list offers every English
accent plainly, plus the few variants that sound soft enough for this
purpose on the two main accents. Any English accent joined with one of
those variants (``en-gb-scotland+f2``) is accepted even when not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import SpeechUnavailable, VoiceError

DEFAULT_VOICE = "en-us+f3"
"""espeak-ng's gentle, slightly breathy female variant: the calmest it offers."""

DEFAULT_RATE = 140
"""Words per minute: unhurried, below conversational speed (about 160-180)."""

CALM_PITCH = 42
"""espeak-ng's pitch runs 0-100 around 50; a little lower sounds less bright."""

SOFT_VARIANTS = {
    "f3": "soft, slightly breathy female",
    "f2": "gentle female",
    "f5": "hushed, breathy female",
    "m3": "low, warm male",
}
_LISTED_WITH_VARIANTS = ("en-us", "en-gb")

_ACCENTS = {
    "en-us": "American English",
    "en-us-nyc": "American English, New York City",
    "en-gb": "British English",
    "en-gb-x-rp": "British English, Received Pronunciation",
    "en-gb-scotland": "Scottish English",
    "en-gb-x-gbclan": "British English, Lancaster",
    "en-gb-x-gbcwmd": "British English, West Midlands",
    "en-029": "Caribbean English",
}


@dataclass(frozen=True)
class Voice:
    name: str
    """What ``--voice`` takes."""

    engine: str
    """"pyttsx3" or "hibari"."""

    language: str
    """BCP 47 style, e.g. en-US."""

    description: str
    engine_voice: str
    """The engine's own identifier: an espeak-ng voice name, or a hibari voice."""

    pitch: int = 50
    """espeak-ng pitch (0-100); unused by hibari."""

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "engine": self.engine,
            "language": self.language,
            "description": self.description,
        }


def language_tag(code: str) -> str:
    """espeak's ``en-gb-scotland`` as ``en-GB-scotland``: region upper case, the rest as is."""
    parts = code.split("-")
    return "-".join(
        p.upper() if i == 1 and len(p) == 2 else (p.lower() if i == 0 else p)
        for i, p in enumerate(parts)
    )


def _espeak_voice(base_id: str, code: str, variant: str | None) -> Voice:
    accent = _ACCENTS.get(code, code)
    if variant is None:
        return Voice(code, "pyttsx3", language_tag(code), f"{accent} (espeak-ng)", base_id)
    name = f"{code}+{variant}"
    description = f"{accent}, {SOFT_VARIANTS[variant]} (espeak-ng)"
    if name == DEFAULT_VOICE:
        description += "; the calm default"
    return Voice(
        name, "pyttsx3", language_tag(code), description, f"{base_id}+{variant}", CALM_PITCH
    )


def _espeak_bases() -> dict[str, str]:
    """English accent code -> espeak identifier, from what pyttsx3 finds installed."""
    from .pyttsx3_renderer import english_voices

    return {code: ident for ident, code, _ in english_voices()}


def _hibari_voices() -> list[Voice]:
    from .hibari_renderer import installed_voices

    found = []
    for entry in installed_voices():
        where = "in the package" if entry.get("bundled") else "downloaded earlier"
        description = (
            f"Natural {entry['accent']} English, {entry['gender']} (hibari, {where}); "
            "warm and smooth, needs more processing than espeak-ng"
        )
        name = f"hibari-{entry['name']}"
        found.append(Voice(name, "hibari", entry["language"], description, entry["name"]))
    return found


def catalog() -> list[Voice]:
    """Every voice worth offering, the calm default first, natural voices last.

    Without a working espeak-ng the natural voices are still offered; with
    neither, the one-sentence ``SpeechUnavailable`` says what to install.
    """
    try:
        bases = _espeak_bases()
    except SpeechUnavailable:
        natural = _hibari_voices()
        if natural:
            return natural
        raise
    codes = [code for code in _LISTED_WITH_VARIANTS if code in bases]
    listed = [_espeak_voice(bases[c], c, v) for c in codes for v in SOFT_VARIANTS]
    listed += [_espeak_voice(ident, code, None) for code, ident in bases.items()]
    listed.sort(key=lambda v: v.name != DEFAULT_VOICE)
    return listed + _hibari_voices()


_ALIASES = {"natural": "hibari", "default": DEFAULT_VOICE}


def find_voice(name: str | None) -> Voice:
    """The voice called ``name`` (None means the default); VoiceError if there is none."""
    wanted = (name or DEFAULT_VOICE).strip().lower()
    wanted = _ALIASES.get(wanted, wanted)
    if wanted.startswith("hibari"):
        natural = _hibari_voices()
        for voice in natural:
            if voice.name == wanted or (wanted == "hibari" and voice is natural[0]):
                return voice
        if not natural:
            from .hibari_renderer import NOT_INSTALLED

            raise VoiceError(NOT_INSTALLED)
    else:
        bases = _espeak_bases()
        code, _, variant = wanted.partition("+")
        if code in bases and (not variant or variant in SOFT_VARIANTS):
            return _espeak_voice(bases[code], code, variant or None)
    raise VoiceError(
        f"There is no voice called '{name}'; 'voice-haven voices' lists the ones you can use."
    )
