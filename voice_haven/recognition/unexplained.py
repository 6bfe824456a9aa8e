"""Voice a decode left unexplained: pitched steps that no word it heard covers.

The turn's model rejects a sentence by explaining it with filler words. But
PocketSphinx can also put most of a sentence down as silence or noise and
keep one word it liked: "the window is open" became "seven" in five
synthetic voices, "where did I put my keys" became "five". The word is
heard whole, so nothing in the hypothesis says it is doubtful. The audio
does: a person who answers "seven" has little voice beyond the word, while
the sentence leaves a second or more of pitched voice (``audio.voicing``)
that no word's time span covers.

So at a rating turn, such a rating is asked about ("I heard seven. Is
that right?"), and such a command is not understood: the sentence gets
the second listens for "stop" and for a call for help instead. "stop"
itself is always taken as heard. A "help" in more than half a second of
voice is taken for what "help me" and "please help me" become when their
other words are lost: a doubtful call for help ("Are you asking for
help?"), at a rating turn and while a step plays (``HELP_CALL_TURNS``).
Not at a yes/no turn: there a human "yes" drawn out or said with a sigh
leaves as much (``SphinxSettings.unexplained_frames``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..audio.voicing import voiced_mask
from ..vocabulary import Expect

DOUBTED_TURNS = frozenset({Expect.RATING})
"""Turns whose ratings and commands are doubted for it (see above)."""

HELP_CALL_TURNS = frozenset({Expect.RATING, Expect.BETWEEN})
"""Turns where a "help" beside it is a doubtful call for help (``HELP_CALL``).

While a step plays, too (``Expect.BETWEEN``): measured on the synthetic
set's commands, everyday sentences and calls for help heard there, it
asked about the 2 "help me"s taken as the command "help" and took no
command said right for another answer. Doubting every command there as
at a rating turn also kept 4 everyday sentences from being carried out
as commands, but lost 2 of 343 commands said right ("slower", "hold on"),
as much unexplained voice as the sentences had: not done.
"""

MARGIN_FRAMES = 3
"""Steps either side of a word still counted as its own: word edges are soft."""

UNEXPLAINED_CONFIDENCE = 0.5
"""Confidence of a rating heard beside unexplained voice: below
``EngineSettings.confirm_below``, so the session asks "I heard seven. Is that right?"."""

HELP_CALL = "help me"
"""What a "help" command heard beside unexplained voice is taken for, as a doubtful call.

"help me" and "please help me" lose their other words the same way; a
call for help must not be dropped with the rest, so the session asks
"Are you asking for help?" instead.
"""


def unexplained_frames(pcm: np.ndarray, segments: Iterable[Any], rate: int) -> int:
    """Pitched 10 ms steps of ``pcm`` outside every word of ``segments``.

    ``segments`` are PocketSphinx's (``Decoder.seg()``: ``word``,
    ``start_frame``, ``end_frame`` in 10 ms frames of the decoded audio);
    silences (``<sil>``) and noises (``[NOISE]``) explain nothing.
    """
    pitched = voiced_mask(pcm, rate)
    covered = np.zeros(pitched.size, dtype=bool)
    for segment in segments:
        if segment.word.startswith(("<", "[")):
            continue
        start = max(0, segment.start_frame - MARGIN_FRAMES)
        covered[start : segment.end_frame + MARGIN_FRAMES + 1] = True
    return int(np.count_nonzero(pitched & ~covered))
