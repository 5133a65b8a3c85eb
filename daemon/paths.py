"""Where Moodline keeps its files: config, data (history, trained heads) and cache."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "moodline"


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """The user config dir; `MOODLINE_CONFIG_DIR` overrides it."""
    return _from_env("MOODLINE_CONFIG_DIR") or Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """The user data dir (history database, trained heads); `MOODLINE_DATA_DIR` overrides it."""
    return _from_env("MOODLINE_DATA_DIR") or Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """The user cache dir; `MOODLINE_CACHE_DIR` overrides it."""
    return _from_env("MOODLINE_CACHE_DIR") or Path(platformdirs.user_cache_dir(APP_NAME))


def settings_file() -> Path:
    """The one settings file."""
    return config_dir() / "settings.toml"
