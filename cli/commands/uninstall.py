"""`moodline uninstall`: removes exactly what install added; history only with --purge."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from moodline.commands.options import add_data_dir
from moodline.daemon.locations import Locations
from moodline.deploy import uninstall
from moodline.deploy.policy_record import remove_policies
from moodline.errors import UsageError
from moodline.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def _confirm_purge(args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if args.silent or not sys.stdin.isatty():
        raise UsageError("--purge deletes all history and settings; add --yes to confirm")
    answer = input(
        "Delete all Moodline history, settings, the pairing token and team credentials? [y/N] "
    )
    return answer.strip().lower() in {"y", "yes"}


def purge(locations: Locations, say: Any) -> None:
    from moodline.daemon.team_credentials import delete_credentials
    from moodline.daemon.token_store import KeyringUnavailableError, delete_token

    for folder in (locations.data, locations.cache, locations.config):
        if folder.exists():
            shutil.rmtree(folder)
            say(f"deleted {folder}")
    try:
        delete_token()
        say("deleted the pairing token from the keyring")
        delete_credentials()
        say("deleted the team broker credentials from the keyring (if any)")
    except KeyringUnavailableError as exc:
        say(f"keyring not reachable, token and team broker credentials left: {exc}")


def run(args: argparse.Namespace) -> int:
    say = (lambda _text: None) if args.silent else print
    if args.purge and not _confirm_purge(args):
        return EXIT_USAGE
    locations: Locations = args.locations
    result = uninstall(locations.install_record(system=args.system), home=Path.home())
    say(result.describe())
    for line in remove_policies(locations.policy_record(system=args.system)):
        say(line)
    if args.purge:
        purge(locations, say)
    else:
        say(
            f"history kept in {locations.data}, settings and keyring entries too "
            "(remove them with --purge)"
        )
    return EXIT_OK if result.ok else EXIT_FAILED


def add_parser(sub: Any) -> None:
    p = sub.add_parser("uninstall", help="undo moodline install (history kept unless --purge)")
    p.add_argument("--system", action="store_true", help="undo a --system install")
    p.add_argument("--silent", action="store_true", help="no prompts, no output")
    p.add_argument(
        "--purge",
        action="store_true",
        help="also delete history, settings, token, team credentials",
    )
    p.add_argument("--yes", action="store_true", help="confirm --purge without asking")
    add_data_dir(p)
    p.set_defaults(run=run)
