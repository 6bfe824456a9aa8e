"""Google's speech embedding: what a short utterance sounds like, in 96 numbers per step.

The embedding model was trained by Google on a large amount of speech to
tell words apart whoever says them (arXiv 2002.01322, Apache-2.0); the
openWakeWord package carries it, with the mel-spectrogram front end it
expects, as two small ONNX files. Comparing a new answer with the person's
enrolled takes in this space tells their numbers from other words far
better than comparing cepstra: measured on fsdd-dev with two takes per
digit, at a distance that lets 1% of gsc-dev's other words through, 92-99%
of each speaker's other answers came near the right take, against 50-81%
with the cepstra enrollment used before (see docs/PERFORMANCE.md).

Only these features are stored by ``voice-haven enroll``, never audio.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .span import RATE, voiced_span

DIMENSIONS = 96
"""Numbers per embedding step."""

WINDOW = 1.5
"""Seconds every utterance is centred in: one word sits mid-window, as in training."""

LEVEL = 0.3
"""Peak level (full scale = 1) the voice is brought to before the mel front end."""

_MEL_BANDS = 32
"""Mel bands of the front end."""

_MEL_FRAMES = 76
"""Mel frames (10 ms each) one embedding step sees: 0.775 s of sound."""

_MEL_STEP = 8
"""Mel frames between embedding steps (80 ms)."""

_FLOOR = 1e-4
"""A faint, fixed noise under the window: the model never heard digital silence."""


class EmbeddingUnavailable(Exception):
    """The embedding model cannot be loaded; ``str()`` is one sentence for the person."""


def _model_folder() -> Path:
    spec = importlib.util.find_spec("openwakeword")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        models = Path(folder) / "resources" / "models"
        if (models / "embedding_model.onnx").is_file():
            return models
    raise EmbeddingUnavailable(
        "The speech embedding model is missing (the openwakeword 0.4.0 package); "
        "reinstall voice-haven to put it back."
    )


@cache
def _sessions() -> tuple[Any, Any]:
    """The mel front end and the embedding model, loaded once, on one thread each.

    One thread: the device has other work (the recognizer, the voice), and
    the models are small enough that more threads would not pay. No memory
    arena: onnxruntime's keeps the largest input's buffers for good, which
    cost 25 MB of a Pi's memory for no measurable speed.
    """
    try:
        import onnxruntime
    except ImportError as exc:
        raise EmbeddingUnavailable(
            f"onnxruntime is not installed ({exc}); reinstall voice-haven."
        ) from None
    folder = _model_folder()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False

    def load(name: str) -> Any:
        return onnxruntime.InferenceSession(
            str(folder / name), options, providers=["CPUExecutionProvider"]
        )

    return load("melspectrogram.onnx"), load("embedding_model.onnx")


def load_model() -> None:
    """Load the models now (0.15 s here), so the first answer does not wait."""
    _sessions()


def centred(samples: np.ndarray) -> np.ndarray:
    """The voiced part of an utterance at ``LEVEL``, centred in at least ``WINDOW`` seconds."""
    audio = np.asarray(samples, dtype=np.float32)
    voice = audio[voiced_span(audio, before=0.05, after=0.05)]
    peak = float(np.abs(voice).max()) if voice.size else 0.0
    if peak > 0:
        voice = voice * (LEVEL / peak)
    length = max(int(WINDOW * RATE), voice.size + RATE // 5)
    window = np.random.default_rng(0).standard_normal(length).astype(np.float32) * _FLOOR
    start = (length - voice.size) // 2
    window[start : start + voice.size] += voice
    return window


_last: tuple[bytes, np.ndarray] | None = None
"""The latest utterance's digest and embedding: the wrappers around one recognizer
(``stop_check``, ``second_opinion``) each ask for the same answer's embedding."""


def speech_embedding(samples: np.ndarray) -> np.ndarray:
    """Embedding steps (steps x ``DIMENSIONS``) of a mono utterance at ``audio.span.RATE``.

    Takes int16 or float samples at any level (the voice is brought to
    ``LEVEL``); an utterance of one word gives 9 steps, longer ones more.
    The same samples asked for again are not worked out again.
    """
    global _last
    array = np.ascontiguousarray(samples)
    digest = hashlib.blake2b(array.tobytes(), digest_size=16, person=str(array.dtype).encode())
    key = digest.digest()
    if _last is not None and _last[0] == key:
        return _last[1].copy()
    steps = _embed(array)
    _last = (key, steps)
    return steps.copy()


def _embed(samples: np.ndarray) -> np.ndarray:
    mel_model, embedding_model = _sessions()
    window = centred(samples) * 32767.0
    mel = mel_model.run(None, {"input": window[None, :]})[0]
    mel = (mel.reshape(-1, _MEL_BANDS) / 10.0 + 2.0).astype(np.float32)
    # One window per run: as fast as a batch, whose activations cost
    # 10-20 MB more (measured here, on x86-64).
    steps = [
        embedding_model.run(None, {"input_1": mel[None, s : s + _MEL_FRAMES, :, None]})[0]
        for s in range(0, len(mel) - _MEL_FRAMES + 1, _MEL_STEP)
    ]
    return np.concatenate(steps).reshape(len(steps), DIMENSIONS).astype(np.float64)
