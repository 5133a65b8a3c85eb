"""`moodline doctor`'s `team` check: credentials readable, TLS files valid, the broker reachable
and accepting this agent within a few seconds (a real MQTT connection that publishes nothing)."""

from __future__ import annotations

from moodline.daemon.settings import Settings
from moodline.daemon.team.probe import BrokerError, probe
from moodline.daemon.team.tls import TeamTlsError, make_context
from moodline.daemon.team_credentials import (
    BrokerCredentials,
    CredentialsError,
    KeyringUnavailableError,
    read_credentials,
)
from moodline.deploy.doctor import Check

SET_CREDENTIALS = (
    "moodline install --team-broker URL --team ID --team-credentials-file FILE "
    '(FILE: {"username": "...", "password": "..."})'
)


def check_team(settings: Settings | None, timeout: float = 5.0) -> Check:
    if settings is None:
        return Check("team", "warn", "unknown: the settings file is invalid")
    address, team_id = settings.team_address, settings.team_id
    if address is None or team_id is None:
        return Check("team", "off", "team view off: nothing is shared (team_broker is not set)")
    try:
        credentials: BrokerCredentials | None = read_credentials()
    except (KeyringUnavailableError, CredentialsError) as exc:
        return Check(
            "team", "fail", f"cannot read the team broker credentials: {exc}", SET_CREDENTIALS
        )
    try:
        tls = (
            make_context(settings.team_ca_file, settings.team_client_cert, settings.team_client_key)
            if address.tls
            else None
        )
    except TeamTlsError as exc:
        return Check(
            "team", "fail", str(exc), "fix team_ca_file / team_client_cert / team_client_key"
        )
    who = f"as {credentials.username}" if credentials else "without a user name"
    try:
        probe(address, credentials, tls, settings.team_agent, timeout)
    except BrokerError as exc:
        fix = (
            SET_CREDENTIALS
            if exc.refused
            else f"check that {address} is up and reachable from here"
        )
        return Check("team", "fail", f"team broker {address} ({who}): {exc}", fix)
    return Check(
        "team",
        "ok",
        f"team broker {address} accepted {who}; sharing levels as {team_id}/{settings.team_agent}",
    )
