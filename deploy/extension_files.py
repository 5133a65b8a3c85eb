"""Where the browser extension's files are: inside the installed package, as `moodline/extension/`
(package data mapped from the repo's `extension/` folder), so installed commands never read the
repository."""

from __future__ import annotations

from pathlib import Path

import moodline


def extension_dir() -> Path:
    """The installed extension folder (manifest, sources, icons, managed-storage schema)."""
    return Path(moodline.__file__).parent / "extension"
