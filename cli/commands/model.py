"""`moodline model status|list|use`: the shipped model and which head the daemon uses."""

from __future__ import annotations

import argparse
import json
from typing import Any

from moodline.commands.options import add_data_dir
from moodline.daemon.locations import Locations
from moodline.daemon.scoring.heads import HeadRegistry, shipped_dir, verify_shipped_files
from moodline.daemon.settings import SettingsError, load_settings, update_settings
from moodline.errors import UsageError


def tell_daemon_to_reload(locations: Locations) -> str:
    from moodline.daemon.client import DaemonUnavailableError, call
    from moodline.daemon.token_store import KeyringUnavailableError

    try:
        port = load_settings(locations.settings_file).port
        call("POST", "/v1/model/reload", {}, port=port)
    except (DaemonUnavailableError, KeyringUnavailableError, SettingsError, ValueError) as exc:
        return f"(the running daemon was not switched: {exc})"
    return "the running daemon switched to it"


def run(args: argparse.Namespace) -> int:
    action = args.model_command
    locations: Locations = args.locations
    heads = HeadRegistry(locations.heads)
    if action == "status":
        metadata = verify_shipped_files()
        settings = load_settings(locations.settings_file)
        print(
            json.dumps(
                {
                    "shipped": str(shipped_dir()),
                    "encoder": metadata.get("encoder"),
                    "onnx_agreement": metadata.get("onnx_agreement"),
                    "active_head": settings.active_head,
                },
                indent=2,
            )
        )
        return 0
    if action == "list":
        active = load_settings(locations.settings_file).active_head
        for name in heads.available():
            print(("* " if name == active else "  ") + name)
        return 0
    if action == "use":
        heads.load(args.name)
        update_settings({"active_head": args.name}, locations.settings_file)
        print(f"active head: {args.name}; {tell_daemon_to_reload(locations)}")
        return 0
    raise UsageError(f"unknown action {action!r}")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("model", help="the shipped model and which head the daemon uses")
    actions = p.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    status = actions.add_parser("status", help="check the shipped model's files; show the head")
    listing = actions.add_parser("list", help="list available heads")
    use = actions.add_parser("use", help="make a head the active one (`shipped` to go back)")
    use.add_argument("name")
    for action in (status, listing, use):
        add_data_dir(action)
    p.set_defaults(run=run)
