"""File primitives for install: atomic writes, content hashes, created folders, short names."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from moodline.daemon.scoring import hashing

FILE_MODE = 0o644


def sha256_bytes(data: bytes) -> str:
    """The hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The hex sha256 of the file at `path`, or None when there is no readable file."""
    try:
        return hashing.sha256_file(path)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def make_dirs(folder: Path) -> list[Path]:
    """Create `folder` and any missing parents; return the ones created, outermost first."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    missing.reverse()
    for item in missing:
        item.mkdir(mode=0o755, exist_ok=True)
    return missing


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write `data` to `path` through a temporary file in the same folder and one rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def shorten(path: Path, home: Path | None) -> str:
    """`path` as a person would type it: `~/...` when it lies under `home`."""
    if home is not None:
        with contextlib.suppress(ValueError):
            return str(Path("~") / path.relative_to(home))
    return str(path)
