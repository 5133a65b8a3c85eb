"""The `moodline` command: parses arguments and hands off to one subcommand module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from moodline import __version__
from moodline.daemon.settings import DEFAULT_PORT
from moodline.exit_codes import (
    EXIT_USAGE,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moodline",
        description="Live customer sentiment beside any web chat console, scored offline.",
    )
    parser.add_argument("--version", action="version", version=f"moodline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    daemon = sub.add_parser("daemon", help="run the local scoring daemon on 127.0.0.1")
    daemon.add_argument("--port", type=int, help=f"TCP port (default {DEFAULT_PORT})")
    daemon.add_argument("--data-dir", help="history and trained heads (default: user data dir)")
    daemon.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (default INFO)")

    up = sub.add_parser("up", help="run Moodline: the daemon, and the widget on a desktop")
    up.add_argument("--port", type=int)
    up.add_argument("--data-dir")

    widget = sub.add_parser("widget", help="show the always-on-top sentiment widget and tray icon")
    widget.add_argument("--port", type=int, help=f"the daemon's port (default {DEFAULT_PORT})")

    pair = sub.add_parser("pair", help="show a one-time code to pair the browser extension")
    pair.add_argument("--port", type=int)

    score = sub.add_parser("score", help="score messages from stdin, one JSON object per line")
    score.add_argument(
        "--conversation",
        action="store_true",
        help='input lines are JSON {"conversation_id", "role", "text"}; output window states',
    )
    score.add_argument(
        "--head",
        default="shipped",
        help="head to use: shipped (default), active (the daemon's), or a trained head's name",
    )
    score.add_argument("--batch-size", type=int, default=256)

    train = sub.add_parser("train", help="train your own head from labelled chat messages")
    train.add_argument("--data", required=True, help="CSV (text,label) or JSONL file")
    train.add_argument("--name", default=None, help="name of the new head (default: from file)")
    train.add_argument(
        "--no-corrections", action="store_true", help="leave the agents' stored corrections out"
    )
    train.add_argument("--holdout", type=float, default=0.2, help="share held out for evaluation")
    train.add_argument("--activate", action="store_true", help="switch the daemon to the new head")
    train.add_argument("--data-dir", help="where corrections and heads live")

    model = sub.add_parser("model", help="the shipped model and which head the daemon uses")
    model_sub = model.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    model_sub.add_parser("status", help="check the shipped model's files; show the active head")
    model_sub.add_parser("list", help="list available heads")
    use = model_sub.add_parser("use", help="make a head the active one (`shipped` to go back)")
    use.add_argument("name")

    export = sub.add_parser("export", help="export the stored history")
    export.add_argument("--format", choices=["csv", "jsonl"], default="jsonl")
    export.add_argument("--since", help="ISO date or datetime (UTC), e.g. 2026-11-01")
    export.add_argument("--output", "-o", help="file to write (default: stdout)")
    export.add_argument("--data-dir")

    extension = sub.add_parser("extension", help="package the browser extension for IT")
    extension_sub = extension.add_subparsers(dest="extension_command", required=True)
    pack = extension_sub.add_parser("pack", help="write a reproducible zip (and a .crx with --key)")
    pack.add_argument("--out", default="dist", help="folder to write to (default: dist)")
    pack.add_argument("--key", help="IT's PEM private key to sign a .crx with")

    from moodline.commands import doctor, install, uninstall

    install.add_parser(sub)
    uninstall.add_parser(sub)
    doctor.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "daemon":
        from moodline.commands.run_daemon import run

        return run(args)
    if args.command == "up":
        from moodline.commands.up import run as run_up

        return run_up(args)
    if args.command == "widget":
        from moodline.daemon.settings import load_settings
        from moodline.widget.app import run as run_widget

        settings = load_settings()
        return run_widget(args.port or settings.port, settings)
    if args.command == "pair":
        from moodline.commands.pair import run as run_pair

        return run_pair(args)
    if args.command == "score":
        from moodline.commands.score import run as run_score

        return run_score(args)
    if args.command == "train":
        from moodline.commands.train import run as run_train

        return run_train(args)
    if args.command == "model":
        from moodline.commands.model import run as run_model

        return run_model(args)
    if args.command == "export":
        from moodline.commands.export import run as run_export

        return run_export(args)
    if args.command in {"install", "uninstall", "doctor"}:
        from moodline.commands import doctor, install, uninstall

        commands = {"install": install.run, "uninstall": uninstall.run, "doctor": doctor.run}
        return commands[args.command](args)
    if args.command == "extension":
        from moodline.commands.extension_pack import run as run_pack

        return run_pack(args)
    print(f"unknown command {args.command}", file=sys.stderr)
    return EXIT_USAGE
