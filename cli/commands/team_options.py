"""`moodline install`'s team view options: the broker, the team and TLS as IT-set settings, the
broker credentials from a file into the OS keyring (never into the settings file)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from moodline.daemon.team_credentials import (
    BrokerCredentials,
    CredentialsError,
    credentials_from_file,
)
from moodline.errors import UsageError

TEAM_FLAGS = {
    "team_broker": "team_broker",
    "team": "team_id",
    "team_agent": "team_agent",
    "team_ca_file": "team_ca_file",
    "team_client_cert": "team_client_cert",
    "team_client_key": "team_client_key",
}
PATH_FLAGS = ("team_ca_file", "team_client_cert", "team_client_key")


def add_team_arguments(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("team view (levels, never text, to the team's MQTT broker)")
    group.add_argument("--team-broker", metavar="URL", help="mqtt://host:port or mqtts://host:port")
    group.add_argument("--team", metavar="ID", help="the team's id (A-Z a-z 0-9 _ . @ -)")
    group.add_argument("--team-agent", metavar="NAME", help="this agent's name (default: OS user)")
    group.add_argument(
        "--team-credentials-file",
        metavar="FILE",
        help='JSON {"username": "...", "password": "..."}: stored in the OS keyring',
    )
    group.add_argument("--team-ca-file", metavar="PEM", help="CA that signed the broker (mqtts)")
    group.add_argument("--team-client-cert", metavar="PEM", help="client certificate (mqtts)")
    group.add_argument("--team-client-key", metavar="PEM", help="its unencrypted key (mqtts)")


def team_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The team settings the flags give (TLS paths made absolute)."""
    changes: dict[str, Any] = {}
    for flag, key in TEAM_FLAGS.items():
        value = getattr(args, flag, None)
        if value is not None:
            changes[key] = str(Path(value).expanduser().absolute()) if flag in PATH_FLAGS else value
    return changes


def mark_set_by_it(changes: dict[str, Any], current: list[str]) -> dict[str, Any]:
    """Team settings install writes become IT's: read-only in the widget and the API."""
    team_keys = {key for key in changes if key.startswith("team_")}
    if not team_keys:
        return changes
    return {**changes, "set_by_it": sorted({*current, *team_keys})}


def team_credentials(args: argparse.Namespace) -> BrokerCredentials | None:
    """The credentials file's user name and password, checked (UsageError says what is wrong)."""
    if not args.team_credentials_file:
        return None
    if args.system:
        raise UsageError(
            "--team-credentials-file stores into this user's keyring: run it per user, "
            "not with --system"
        )
    try:
        return credentials_from_file(Path(args.team_credentials_file))
    except CredentialsError as exc:
        raise UsageError(str(exc)) from exc
