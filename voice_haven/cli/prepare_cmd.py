"""``voice-haven prepare``: render every sentence ahead of time, so speech starts at once."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import paths
from ..settings import load_settings
from .errors import friendly
from .main import DATA_DIR


@click.command()
@click.option("--voice", help="Voice name (see 'voice-haven voices'); default: your saved voice.")
@click.option(
    "--rate", type=click.IntRange(60, 300), help="Words per minute; default: your saved rate."
)
@DATA_DIR
@friendly
def prepare(voice: str | None, rate: int | None, data_dir: Path | None) -> None:
    """Render every sentence of every session into the cache.

    A Raspberry Pi then never makes you wait for speech, even with a natural
    voice. Sentences already rendered are skipped, so running it again is
    quick. Run it again after changing the voice, the rate, your country or
    your contact.

    \b
    Examples:
      voice-haven prepare
      voice-haven prepare --voice hibari-heart --rate 130
    """
    from ..speech import choose_voice, prompt_cache
    from ..speech.render import PromptRenderer
    from ..speech.texts import all_texts
    from ..speech.voices import DEFAULT_RATE

    folder = paths.data_dir(data_dir)
    settings = load_settings(folder)
    chosen = choose_voice(voice, settings.voice)
    words_per_minute = rate or settings.rate or DEFAULT_RATE
    renderer = PromptRenderer(chosen, prompt_cache(folder))
    texts = all_texts(settings)
    fresh = 0
    label = f"Preparing {chosen.name}"
    with click.progressbar(texts, label=label, file=sys.stderr) as bar:
        for text in bar:
            if not renderer.is_cached(text, words_per_minute):
                fresh += 1
            renderer.prompt(text, words_per_minute)
    click.echo(
        f"{len(texts)} sentences are ready for {chosen.name} at {words_per_minute} words "
        f"per minute ({fresh} rendered now, {len(texts) - fresh} already prepared)."
    )
