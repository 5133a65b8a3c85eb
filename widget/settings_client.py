"""Reads and saves the settings: through the daemon when it runs, else in the settings file."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from moodline.daemon.settings import RESTART_KEYS, SettingsError, load_settings, update_settings
from moodline.widget.link import ConnectionState, DaemonLink


class SettingsClient(QObject):
    """`load` and `save` answer through signals on the GUI thread and never block it on the
    network. While the daemon is not running the file is the only copy, so it is edited
    directly (the daemon reads it at start); otherwise the daemon, the file's owner, does it."""

    loaded = Signal(dict)  # every setting
    saved = Signal(dict)  # every setting, plus `restart_required`
    failed = Signal(str)

    def __init__(self, link: DaemonLink, path: Path) -> None:
        super().__init__()
        self.link = link
        self.path = path

    @property
    def daemon_running(self) -> bool:
        return self.link.state not in (ConnectionState.DISCONNECTED, ConnectionState.NO_TOKEN)

    def load(self) -> None:
        if self.daemon_running:
            self._watch(self.link.request("GET", "/v1/settings"), self.loaded)
            return
        try:
            self.loaded.emit(load_settings(self.path).model_dump())
        except SettingsError as exc:
            self.failed.emit(str(exc))

    def save(self, changes: dict[str, Any]) -> None:
        if self.daemon_running:
            self._watch(self.link.request("PATCH", "/v1/settings", changes), self.saved)
            return
        try:
            updated = update_settings(changes, self.path)
        except SettingsError as exc:
            self.failed.emit(str(exc))
            return
        self.saved.emit(
            {**updated.model_dump(), "restart_required": sorted(RESTART_KEYS & set(changes))}
        )

    def _watch(
        self, future: concurrent.futures.Future[dict[str, Any]], done_signal: SignalInstance
    ) -> None:
        def done(f: concurrent.futures.Future[dict[str, Any]]) -> None:
            try:
                done_signal.emit(f.result())
            except Exception as exc:
                self.failed.emit(str(exc) or type(exc).__name__)

        future.add_done_callback(done)
