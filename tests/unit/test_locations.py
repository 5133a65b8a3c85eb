"""Locations: --data-dir, then the environment, then the platform's user folders."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from moodline.daemon.locations import Locations


def test_an_argument_beats_the_environment_which_beats_the_platform(tmp_path: Path) -> None:
    env = {"MOODLINE_DATA_DIR": str(tmp_path / "env-data"), "MOODLINE_CACHE_DIR": "~/cache"}
    chosen = Locations.resolve(data=tmp_path / "arg-data", environ=env)
    assert chosen.data == tmp_path / "arg-data"
    assert Locations.resolve(environ=env).data == tmp_path / "env-data"
    assert Locations.resolve(environ=env).cache == Path("~/cache").expanduser()
    dirs = platformdirs.PlatformDirs("moodline")
    assert Locations.resolve(environ={}).config == Path(dirs.user_config_dir)
    assert Locations.resolve(environ={}).data == Path(dirs.user_data_dir)


def test_every_named_file_lives_in_its_folder(tmp_path: Path) -> None:
    locations = Locations(config=tmp_path / "c", data=tmp_path / "d", cache=tmp_path / "k")
    assert locations.settings_file.parent == locations.config
    assert locations.history_database.parent == locations.data
    assert locations.heads.parent == locations.data  # --data-dir moves the team heads too
    assert locations.embedding_cache.parent == locations.cache
    assert {locations.install_record(), locations.install_record(system=True)} == {
        tmp_path / "c" / "install-record.json",
        tmp_path / "c" / "install-record-system.json",
    }
    assert locations.policy_record(system=True).parent == locations.config
