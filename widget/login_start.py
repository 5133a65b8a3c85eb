"""The settings dialog's "start at login" switch: the same entry and record `moodline install`
uses, for this user only."""

from __future__ import annotations

from pathlib import Path

from moodline.deploy import (
    AutostartBackend,
    backend_for,
    install,
    login_argv,
    uninstall,
)


class LoginStart:
    """Turns start-at-login on or off for this user; raises RuntimeError saying why it failed."""

    def __init__(
        self,
        record: Path,
        backend: AutostartBackend | None = None,
        argv: list[str] | None = None,
        home: Path | None = None,
    ) -> None:
        self.backend = backend or backend_for()
        self.record = record
        self.argv = argv or login_argv()
        self.home = home

    def is_on(self) -> bool:
        return self.backend.is_registered()

    def set_on(self, on: bool) -> str:
        if on:
            result = install(self.backend, self.argv, self.record, home=self.home)
            if not result.ok:
                raise RuntimeError(result.describe())
            return result.describe()
        removed = uninstall(self.record, home=self.home)
        if not removed.ok:
            raise RuntimeError(removed.describe())
        return removed.describe()
