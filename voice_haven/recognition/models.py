"""The Vosk model store: one folder per model under ``paths.models_dir(data_dir)``.

A bedside Pi is usually offline, so the common way in is ``install``: a
model zip copied over on a USB stick or with scp. ``download`` is for a
machine that has a network: it resumes an interrupted download from its
``.part`` file (HTTP Range), verifies the size and, where published, the
sha256, and removes what it downloaded when the result is broken, so the
store never holds half a model.

Nothing here imports vosk: a model is recognised by its files, which keeps
``voice-haven model list`` fast and works even when vosk is not installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .. import paths

BASE_URL = "https://alphacephei.com/vosk/models/"
BASE_URL_ENV = "VOICE_HAVEN_MODEL_URL"
"""Overrides ``BASE_URL``: a local mirror, or the test server."""

MAX_UNPACKED = 4 * 1024**3
"""A zip that unpacks to more than this is not a model we can use on a Pi."""


class ModelError(Exception):
    """A model cannot be installed or downloaded; ``str()`` is one sentence."""


@dataclass(frozen=True)
class Downloadable:
    name: str
    about: str
    size_text: str
    size: int | None = None
    """Exact size of the zip in bytes, where published."""
    sha256: str | None = None


#: The official models worth using here. Sizes and checksums are those of
#: the published zips (alphacephei.com); where none is known the size the
#: server announces is checked instead.
CATALOG: dict[str, Downloadable] = {
    m.name: m
    for m in (
        Downloadable(
            "vosk-model-small-en-us-0.15",
            "US English, small: the one for a Raspberry Pi",
            "39 MB",
            41205931,
            "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
        ),
        Downloadable(
            "vosk-model-small-en-in-0.4",
            "Indian English, small",
            "36 MB",
        ),
        Downloadable(
            "vosk-model-en-us-0.22-lgraph",
            "US English, larger and more accurate; needs a Pi 4 with 2 GB or more",
            "125 MB",
            130557655,
            "d9838b4aaa82a75c4a17f5aca300eaca129aaab2a7cbf951bafbb500eb9c4334",
        ),
    )
}


class Progress(Protocol):
    def update(self, n_steps: int) -> None: ...


ProgressFactory = Callable[[int], AbstractContextManager[Progress]]
"""Makes a progress display for a download of ``total`` bytes (e.g. click.progressbar)."""


def model_problem(path: Path) -> str | None:
    """What makes ``path`` not a Vosk model, or None when it looks like one."""
    path = Path(path)
    if not path.exists():
        return "the folder does not exist"
    if not path.is_dir():
        return "it is a file, not a model folder"
    if not (path / "am" / "final.mdl").is_file():
        return "it has no am/final.mdl"
    if not (path / "conf").is_dir():
        return "it has no conf folder"
    graph = path / "graph"
    if not ((graph / "HCLG.fst").is_file() or (graph / "HCLr.fst").is_file()):
        return "it has no decoding graph (graph/HCLG.fst or graph/HCLr.fst)"
    return None


def store(data_dir: Path) -> Path:
    return paths.models_dir(data_dir)


def installed(data_dir: Path) -> list[Path]:
    """Model folders in the store, by name."""
    folder = store(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and model_problem(p) is None)


def find_installed(name: str, data_dir: Path) -> Path:
    for path in installed(data_dir):
        if path.name == name:
            return path
    raise ModelError(f"No model called {name} is installed; `voice-haven model list` shows them.")


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@dataclass(frozen=True)
class Installed:
    path: Path
    already: bool = False
    """True when the same model was already in the store (nothing was changed)."""


def install(source: Path, data_dir: Path, name: str | None = None) -> Installed:
    """Put a model (a folder, or a zip holding one) into the store."""
    source = Path(source).expanduser()
    if not source.exists():
        raise ModelError(f"{source} does not exist.")
    target_root = store(data_dir)
    target_root.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        problem = model_problem(source)
        if problem:
            raise ModelError(f"{source} is not a Vosk model: {problem}.")
        target = target_root / (name or source.name)
        if model_problem(target) is None:
            return Installed(target, already=True)
        with _staging(target_root) as staging:
            shutil.copytree(source, staging / "model")
            return Installed(_move_into_place(staging / "model", target))
    if not zipfile.is_zipfile(source):
        with open(source, "rb") as start:
            if start.read(4) == b"PK\x03\x04":
                raise ModelError(
                    f"{source} is an incomplete zip file (probably cut short); "
                    "copy or download it again."
                )
        raise ModelError(f"{source} is neither a Vosk model folder nor a zip file.")
    with _staging(target_root) as staging:
        _unzip(source, staging)
        root = _model_root(staging, source)
        target = target_root / (name or (root.name if root != staging else _stem(source)))
        if model_problem(target) is None:
            return Installed(target, already=True)
        return Installed(_move_into_place(root, target))


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".part", ".zip"):
        name = name.removesuffix(suffix)
    return name


@contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A scratch folder inside the store (same file system, so the final move is atomic)."""
    with tempfile.TemporaryDirectory(prefix=".installing-", dir=root) as scratch:
        yield Path(scratch)


def _unzip(source: Path, into: Path) -> None:
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise ModelError(f"{source} unpacks to more than 4 GB, too big for a model.")
            base = into.resolve()
            for member in members:
                if not (into / member.filename).resolve().is_relative_to(base):
                    raise ModelError(f"{source} tries to write outside its folder; not installed.")
            archive.extractall(into)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{source} could not be unpacked ({exc}).") from None


def _model_root(staging: Path, source: Path) -> Path:
    """The model folder inside an unpacked zip: the top, or one folder down."""
    candidates = [staging, *sorted(p for p in staging.iterdir() if p.is_dir())]
    for candidate in candidates:
        if model_problem(candidate) is None:
            return candidate
    inner = candidates[1] if len(candidates) == 2 else staging
    raise ModelError(f"{source} does not hold a Vosk model: {model_problem(inner)}.")


def _move_into_place(built: Path, target: Path) -> Path:
    if target.exists():
        # A broken leftover with the same name (model_problem said so): replace it.
        shutil.rmtree(target)
    built.rename(target)
    return target


# --- downloading ------------------------------------------------------------


def download(
    name: str,
    data_dir: Path,
    base_url: str | None = None,
    progress: ProgressFactory | None = None,
) -> Installed:
    """Download a catalogue model into the store, resuming a previous attempt."""
    entry = CATALOG.get(name)
    if entry is None:
        known = ", ".join(CATALOG)
        raise ModelError(f"There is no model called {name} to download; choose one of {known}.")
    root = store(data_dir)
    if model_problem(root / name) is None:
        return Installed(root / name, already=True)
    root.mkdir(parents=True, exist_ok=True)
    base = base_url or os.environ.get(BASE_URL_ENV) or BASE_URL
    url = f"{base.rstrip('/')}/{name}.zip"
    part = root / f"{name}.zip.part"
    expected = _fetch(url, part, entry, progress)
    _verify(part, entry, expected)
    try:
        result = install(part, data_dir, name)
    except ModelError:
        part.unlink(missing_ok=True)
        raise
    part.unlink(missing_ok=True)
    return result


def _fetch(url: str, part: Path, entry: Downloadable, progress: ProgressFactory | None) -> int:
    """Bring ``part`` up to the full zip; returns the size it should have."""
    import urllib.error
    import urllib.request

    have = part.stat().st_size if part.exists() else 0
    if entry.size is not None and have > entry.size:
        part.unlink()
        have = 0
    if entry.size is not None and have == entry.size:
        return entry.size
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:
            return have  # the server says there is nothing more: verify what we have
        raise ModelError(
            f"{entry.name} could not be downloaded from {url} (the server answered "
            f"{exc.code} {exc.reason})."
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(
            f"{entry.name} could not be downloaded from {url} ({reason}); without a network, "
            "copy the zip over and run `voice-haven model install FILE.zip`."
        ) from None
    with response:
        resumed = response.status == 206 and have > 0
        if not resumed:
            have = 0
        length = int(response.headers.get("Content-Length") or 0)
        expected = entry.size or (have + length if length else 0)
        try:
            with open(part, "ab" if resumed else "wb") as out:
                for block in _progress(response, expected, have, progress):
                    out.write(block)
        except OSError as exc:
            done = part.stat().st_size if part.exists() else 0
            raise ModelError(
                f"The download of {entry.name} stopped at {_mb(done)} of {_mb(expected)} "
                f"({exc}); run the same command again to resume it."
            ) from None
    return expected


def _progress(
    response: object, total: int, done: int, progress: ProgressFactory | None
) -> Iterator[bytes]:
    read = response.read  # type: ignore[attr-defined]
    if progress is None:
        while block := read(1 << 16):
            yield block
        return
    with progress(total) as bar:
        if done:
            bar.update(done)
        while block := read(1 << 16):
            bar.update(len(block))
            yield block


def _verify(part: Path, entry: Downloadable, expected: int) -> None:
    size = part.stat().st_size
    if expected and size < expected:
        raise ModelError(
            f"The download of {entry.name} stopped at {_mb(size)} of {_mb(expected)}; "
            "run the same command again to resume it."
        )
    if expected and size > expected:
        part.unlink()
        raise ModelError(
            f"The download of {entry.name} was {size} bytes instead of {expected}, so it was "
            "removed; run the same command again."
        )
    if entry.sha256 is not None:
        digest = hashlib.sha256()
        with open(part, "rb") as data:
            while block := data.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != entry.sha256:
            part.unlink()
            raise ModelError(
                f"The download of {entry.name} does not match its published checksum, so it "
                "was removed; run the same command again."
            )


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"
