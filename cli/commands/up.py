"""`moodline up`: the daemon and, where there is a display, the widget beside it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

from moodline.commands.options import add_data_dir


def has_display() -> bool:
    """A desktop to show the widget on (always on Windows and macOS)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _die_with_parent() -> None:
    """Linux: the daemon gets SIGTERM if `moodline up` itself is killed."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def run(args: argparse.Namespace) -> int:
    from moodline.commands.run_daemon import run as run_daemon

    if not has_display():
        print(
            "moodline: no display found: running the daemon only (the widget needs a desktop)",
            flush=True,
        )
        return run_daemon(args)
    command = [sys.executable, "-m", "moodline", "daemon"]
    if args.port:
        command += ["--port", str(args.port)]
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    daemon = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command, preexec_fn=_die_with_parent if sys.platform == "linux" else None
    )
    try:
        from moodline.daemon.settings import load_settings
        from moodline.widget.app import run as run_widget

        settings = load_settings(args.locations.settings_file)
        return run_widget(args.port or settings.port, settings, args.locations)
    finally:
        daemon.terminate()
        try:
            daemon.wait(10)
        except subprocess.TimeoutExpired:
            daemon.kill()


def add_parser(sub: Any) -> None:
    p = sub.add_parser("up", help="run Moodline: the daemon, and the widget on a desktop")
    p.add_argument("--port", type=int)
    add_data_dir(p)
    p.set_defaults(run=run)
