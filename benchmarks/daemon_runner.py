"""Starts a real daemon for benchmarks, in a throwaway home with a file keyring."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from moodline.daemon.locations import Locations
from moodline.daemon.settings import update_settings
from tests.conftest import free_port
from tests.support.daemon_process import TOKEN, DaemonProcess

__all__ = ["TOKEN", "running_daemon"]


@contextlib.contextmanager
def running_daemon(
    settings: dict[str, Any] | None = None,
) -> Iterator[tuple[DaemonProcess, float]]:
    """A started daemon and its start-to-ready seconds; `settings` are written to its settings
    file before it starts."""
    with tempfile.TemporaryDirectory(prefix="moodline-bench-") as tmp:
        daemon = DaemonProcess(Path(tmp), free_port())
        if settings:
            locations = Locations.resolve(environ=daemon.env)
            update_settings(settings, locations.settings_file)
        seconds = daemon.start(timeout=120)
        try:
            yield daemon, seconds
        finally:
            daemon.stop()
