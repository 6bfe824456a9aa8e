"""The installed package carries its data files, not only the editable checkout."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_data_file_is_declared_as_package_data() -> None:
    """A file left out of package-data works in development and breaks on the Pi."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["voice_haven"]
    package = ROOT / "voice_haven"
    data_files = [
        path.relative_to(package)
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert data_files
    undeclared = [str(f) for f in data_files if not any(f.match(p) for p in patterns)]
    assert not undeclared, f"not in package-data: {undeclared}"
