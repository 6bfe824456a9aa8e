"""The prompt cache: the same sentence is rendered once, and a damaged entry heals itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from voice_haven.speech import prompt_cache
from voice_haven.speech.cache import PromptCache, cache_key
from voice_haven.speech.render import PromptRenderer
from voice_haven.speech.voices import find_voice

TEXT = "Take a slow breath in, and let it go."


def renderer(data_dir: Path) -> PromptRenderer:
    return PromptRenderer(find_voice("en-us+f3"), prompt_cache(data_dir))


def test_second_request_is_a_hit_and_needs_no_engine(tmp_path: Path) -> None:
    first = renderer(tmp_path)
    fresh = first.prompt(TEXT, 140)
    assert (first.cache.hits, first.cache.misses) == (0, 1)
    assert first.prompt(TEXT, 140).size == fresh.size
    assert first.cache.hits == 1

    later = renderer(tmp_path)
    again = later.prompt(TEXT, 140)
    assert later._engine is None, "a cached sentence must not start a speech engine"
    assert np.max(np.abs(again - fresh)) < 1e-4


def test_key_covers_text_voice_and_rate() -> None:
    base = cache_key(TEXT, "en-us+f3", 140)
    assert cache_key(" Take a slow  breath in, and let it go. ", "en-us+f3", 140) == base
    assert cache_key(TEXT, "en-us+f3", 141) != base
    assert cache_key(TEXT, "hibari-heart", 140) != base
    assert cache_key(TEXT + " ", "en-us+f3", 140) == base
    assert cache_key("Take a slow breath in.", "en-us+f3", 140) != base


def test_damaged_entries_are_rendered_again_silently(tmp_path: Path) -> None:
    good = renderer(tmp_path).prompt(TEXT, 140)
    entry = prompt_cache(tmp_path).path_for(cache_key(TEXT, "en-us+f3", 140))
    for damage in (b"not a wav at all", entry.read_bytes()[:1000], b""):
        entry.write_bytes(damage)
        healed = renderer(tmp_path)
        assert abs(healed.prompt(TEXT, 140).size - good.size) < 0.02 * good.size
        assert healed.cache.misses == 1
        assert PromptCache(entry.parent).get(entry.stem, 22050) is not None


def test_entry_at_another_sample_rate_is_not_used(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    cache.put("k", np.zeros(100, dtype=np.float32), 16000)
    assert cache.get("k", 22050) is None
    assert not cache.path_for("k").exists()


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path / "prompts")
    cache.put("k", np.full(50, 0.25, dtype=np.float32), 22050)
    assert [p.name for p in (tmp_path / "prompts").iterdir()] == ["k.wav"]
    assert np.allclose(cache.get("k", 22050), 0.25, atol=1e-4)


def test_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    spoken = PromptRenderer(find_voice("en-us+f3"), PromptCache(blocker / "prompts"))
    assert spoken.prompt("Rest.", 140).size > 0
