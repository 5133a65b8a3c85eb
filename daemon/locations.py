"""Where Moodline keeps its files: one `Locations` object, built once by the CLI and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "moodline"


def _pick(
    argument: str | Path | None, environ: Mapping[str, str], variable: str, default: str
) -> Path:
    """An explicit argument, else the environment variable, else the platform's default."""
    if argument:
        return Path(argument).expanduser()
    value = environ.get(variable)
    return Path(value).expanduser() if value else Path(default)


@dataclass(frozen=True)
class Locations:
    """The three folders Moodline writes to, and the named files inside them."""

    config: Path
    data: Path
    cache: Path

    @classmethod
    def resolve(
        cls,
        *,
        data: str | Path | None = None,
        config: str | Path | None = None,
        cache: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Locations:
        """Arguments first, then `MOODLINE_DATA_DIR`/`_CONFIG_DIR`/`_CACHE_DIR`, then the
        platform's user folders (platformdirs)."""
        env = os.environ if environ is None else environ
        dirs = platformdirs.PlatformDirs(APP_NAME)
        return cls(
            config=_pick(config, env, "MOODLINE_CONFIG_DIR", dirs.user_config_dir),
            data=_pick(data, env, "MOODLINE_DATA_DIR", dirs.user_data_dir),
            cache=_pick(cache, env, "MOODLINE_CACHE_DIR", dirs.user_cache_dir),
        )

    @property
    def settings_file(self) -> Path:
        """The one settings file (TOML)."""
        return self.config / "settings.toml"

    @property
    def history_database(self) -> Path:
        """The SQLite history of conversations, messages and corrections."""
        return self.data / "history.sqlite3"

    @property
    def heads(self) -> Path:
        """The team heads `moodline train` makes, one folder each."""
        return self.data / "heads"

    @property
    def embedding_cache(self) -> Path:
        """Embeddings `moodline train` computed, by encoder and text (the next run skips them)."""
        return self.cache / "embeddings"

    @property
    def encoder_tables(self) -> Path:
        """The multilingual encoder's embedding table, uncompressed, read a row at a time."""
        return self.cache / "encoders"

    @property
    def widget_state(self) -> Path:
        """The widget's window placement (Qt's INI format)."""
        return self.config / "widget-state.ini"

    def install_record(self, *, system: bool = False) -> Path:
        """What `moodline install` created, one file per scope, so uninstall removes exactly it."""
        return self.config / ("install-record-system.json" if system else "install-record.json")

    def policy_record(self, *, system: bool = False) -> Path:
        """The browser policy files `moodline install` wrote."""
        return self.config / ("policy-record-system.json" if system else "policy-record.json")
