"""The team broker's credentials in the OS keyring (service `moodline`, user `team-broker`, value
JSON `{"username", "password"}`), never in the settings file."""

from __future__ import annotations

import json
from dataclasses import dataclass

import keyring

from moodline.daemon.token_store import SERVICE, KeyringUnavailableError, _fail

USERNAME = "team-broker"


class CredentialsError(ValueError):
    """The stored team broker credentials are not the JSON Moodline expects."""


@dataclass(frozen=True)
class BrokerCredentials:
    username: str
    password: str

    def __repr__(self) -> str:  # never print the password
        return f"BrokerCredentials(username={self.username!r}, password=<hidden>)"


def _parse(value: str) -> BrokerCredentials:
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise CredentialsError(
            f'the keyring entry {SERVICE}/{USERNAME} is not JSON {{"username", "password"}}'
        ) from exc
    if not (
        isinstance(data, dict)
        and isinstance(data.get("username"), str)
        and isinstance(data.get("password"), str)
        and data["username"]
    ):
        raise CredentialsError(
            f'the keyring entry {SERVICE}/{USERNAME} needs string "username" and "password"'
        )
    return BrokerCredentials(data["username"], data["password"])


def read_credentials() -> BrokerCredentials | None:
    """The stored credentials, or None (connect without a user name)."""
    try:
        value = keyring.get_password(SERVICE, USERNAME)
    except Exception as exc:  # SecretService/D-Bus failures surface as various exceptions
        raise _fail(exc) from exc
    return _parse(value) if value else None


def save_credentials(credentials: BrokerCredentials) -> None:
    value = json.dumps({"username": credentials.username, "password": credentials.password})
    try:
        keyring.set_password(SERVICE, USERNAME, value)
    except Exception as exc:
        raise _fail(exc) from exc


def delete_credentials() -> None:
    try:
        if keyring.get_password(SERVICE, USERNAME) is not None:
            keyring.delete_password(SERVICE, USERNAME)
    except Exception as exc:
        raise _fail(exc) from exc


__all__ = [
    "BrokerCredentials",
    "CredentialsError",
    "KeyringUnavailableError",
    "delete_credentials",
    "read_credentials",
    "save_credentials",
]
