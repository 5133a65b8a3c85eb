"""`moodline board`: the supervisor's window over the team's MQTT broker."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from moodline.board.subscriber import BrokerConfig
from moodline.daemon.levels import Level
from moodline.daemon.settings import BROKER_URL_HELP, Settings, parse_broker_url
from moodline.daemon.team.tls import TeamTlsError, check_tls_files
from moodline.daemon.team_credentials import BrokerCredentials, CredentialsError
from moodline.errors import CommandError, UsageError

THRESHOLDS = ("off", "slightly_negative", "negative", "very_negative")


def _absolute(path: str | None) -> str | None:
    return None if path is None else str(Path(path).expanduser().resolve())


def _credentials(args: argparse.Namespace) -> BrokerCredentials | None:
    """From --username and --password-file, else the keyring's `moodline`/`team-broker` entry."""
    from moodline.daemon.team_credentials import read_credentials
    from moodline.daemon.token_store import KeyringUnavailableError

    if (args.username is None) != (args.password_file is None):
        raise UsageError("--username and --password-file go together: give both or neither")
    if args.username is not None:
        try:
            lines = Path(args.password_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the password file {args.password_file}: {exc}") from exc
        return BrokerCredentials(args.username, lines[0] if lines else "")
    try:
        return read_credentials()
    except KeyringUnavailableError:
        return None  # no keyring here: connect without a user name
    except CredentialsError as exc:
        raise CommandError(str(exc)) from exc


def board_config(args: argparse.Namespace, settings: Settings) -> tuple[BrokerConfig, Level | None]:
    """The broker to follow and the notification threshold, from the command line over the
    settings; a clear UsageError when something is missing or wrong."""
    url = args.broker or settings.team_broker
    if not url:
        raise UsageError(
            "no team broker: give --broker URL or set team_broker in the settings "
            f"({BROKER_URL_HELP})"
        )
    try:
        address = parse_broker_url(url)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    team = args.team or settings.team_id
    if not team:
        raise UsageError("no team: give --team ID or set team_id in the settings")
    try:  # the settings' rule for a team id
        Settings.model_validate({"team_id": team})
    except ValueError as exc:
        raise UsageError(f"{team!r} is not a team id: use A-Z a-z 0-9 _ . @ -") from exc
    from_settings = url == settings.team_broker
    ca_file = _absolute(args.ca_file) or (settings.team_ca_file if from_settings else None)
    cert = _absolute(args.client_cert) or (settings.team_client_cert if from_settings else None)
    key = _absolute(args.client_key) or (settings.team_client_key if from_settings else None)
    try:
        check_tls_files(address.tls, ca_file, cert, key)
    except TeamTlsError as exc:
        raise UsageError(f"TLS: {exc}") from exc
    threshold = args.alert_threshold or settings.team_alert_threshold
    config = BrokerConfig(
        address,
        team,
        _credentials(args),
        ca_file=Path(ca_file) if ca_file else None,
        cert_file=Path(cert) if cert else None,
        key_file=Path(key) if key else None,
    )
    return config, None if threshold == "off" else Level(threshold)


def run(args: argparse.Namespace) -> int:
    from moodline.board.app import run as run_board
    from moodline.daemon.settings import load_settings

    config, threshold = board_config(args, load_settings(args.locations.settings_file))
    return run_board(config, threshold)


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "board", help="the supervisor's window: the team's agents and chats from the MQTT broker"
    )
    p.add_argument("--broker", help="mqtt://host:port or mqtts://host:port (default: team_broker)")
    p.add_argument("--team", help="the team id (default: the settings' team_id)")
    p.add_argument("--ca-file", help="mqtts: check the broker with this CA (PEM), not the system's")
    p.add_argument("--client-cert", help="mqtts: present this client certificate (PEM)")
    p.add_argument("--client-key", help="mqtts: the client certificate's key (PEM, unencrypted)")
    p.add_argument("--username", help="the broker user name (default: from the OS keyring)")
    p.add_argument("--password-file", help="a file whose first line is the broker password")
    p.add_argument(
        "--alert-threshold",
        choices=THRESHOLDS,
        help="notify at this level or worse (default: the settings' team_alert_threshold)",
    )
    p.set_defaults(run=run)
