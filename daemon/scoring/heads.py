"""Which heads exist (the shipped one and a team's own) and where each lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from moodline.daemon import paths
from moodline.daemon.scoring.hashing import ModelIntegrityError
from moodline.daemon.scoring.head import METADATA_FILE, LinearHead, load_head

SHIPPED = "shipped"


def user_heads_dir() -> Path:
    return paths.data_dir() / "heads"


def head_folder(name: str) -> Path:
    """The folder of head `name`: the installed package's for `shipped`, else the user's."""
    if name == SHIPPED:
        from moodline.models import shipped_head_dir

        return shipped_head_dir()
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ModelIntegrityError(f"invalid head name {name!r}")
    return user_heads_dir() / name


def load_named_head(name: str) -> tuple[LinearHead, dict[str, Any]]:
    folder = head_folder(name)
    if not (folder / METADATA_FILE).is_file():
        raise ModelIntegrityError(
            f"no head named {name!r} (looked in {folder}); list heads with `moodline model list`"
        )
    return load_head(folder)


def available_heads() -> list[str]:
    names = [SHIPPED]
    folder = user_heads_dir()
    if folder.is_dir():
        names += sorted(p.name for p in folder.iterdir() if (p / METADATA_FILE).is_file())
    return names
