"""`moodline pair`: ask the running daemon for a one-time pairing code and show it."""

from __future__ import annotations

import argparse
from typing import Any

from moodline.daemon.client import call
from moodline.daemon.settings import load_settings


def run(args: argparse.Namespace) -> int:
    port = args.port or load_settings(args.locations.settings_file).port
    answer = call("POST", "/v1/pairing-codes", {}, port=port)
    minutes = int(answer["expires_in"]) // 60
    print(f"Pairing code: {answer['code']}")
    print(
        f"Type it into the Moodline extension's popup within {minutes} minutes. "
        "It works once; run `moodline pair` again for a new one."
    )
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("pair", help="show a one-time code to pair the browser extension")
    p.add_argument("--port", type=int)
    p.set_defaults(run=run)
