"""The `moodline` command: one parser per command module, each with `add_parser` and `run`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from moodline import __version__
from moodline.commands import (
    board,
    doctor,
    export,
    extension_pack,
    install,
    model,
    pair,
    run_daemon,
    score,
    train,
    uninstall,
    up,
    widget,
)
from moodline.daemon.locations import Locations
from moodline.exit_codes import HANDLED_ERRORS, exit_code_for

# In the order `moodline --help` lists them.
COMMANDS = (
    run_daemon,
    up,
    widget,
    board,
    pair,
    score,
    train,
    model,
    export,
    extension_pack,
    install,
    uninstall,
    doctor,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moodline",
        description="Live customer sentiment beside any web chat console, scored offline.",
    )
    parser.add_argument("--version", action="version", version=f"moodline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The one place Moodline's folders are decided: --data-dir, then the environment, then the
    # platform's defaults. Every command reads them from here.
    args.locations = Locations.resolve(data=getattr(args, "data_dir", None))
    try:
        code: int = args.run(args)
    except HANDLED_ERRORS as error:
        print(f"moodline {args.command}: {error}", file=sys.stderr)
        return exit_code_for(error)
    return code
