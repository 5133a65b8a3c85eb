"""`moodline widget`: the always-on-top sentiment widget and tray icon."""

from __future__ import annotations

import argparse
from typing import Any


def run(args: argparse.Namespace) -> int:
    from moodline.daemon.settings import load_settings
    from moodline.widget.app import run as run_widget

    settings = load_settings(args.locations.settings_file)
    return run_widget(args.port or settings.port, settings, args.locations)


def add_parser(sub: Any) -> None:
    p = sub.add_parser("widget", help="show the always-on-top sentiment widget and tray icon")
    p.add_argument("--port", type=int, help="the daemon's port (default: the settings' port)")
    p.set_defaults(run=run)
