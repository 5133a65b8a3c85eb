"""The team broker's credentials in the OS keyring (service `moodline`, user `team-broker`, value
JSON `{"username", "password"}`), never in the settings file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

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


def credentials_from_file(path: Path) -> BrokerCredentials:
    """IT's credentials file for `moodline install --team-credentials-file`: UTF-8 JSON
    `{"username": "...", "password": "..."}`. Errors name the file and the problem, never the
    password."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"cannot read the team credentials file {path}: {exc}") from exc
    except ValueError as exc:  # the position only, never the text
        raise CredentialsError(
            f'{path} is not JSON {{"username": "...", "password": "..."}} ({exc})'
        ) from exc
    if not isinstance(data, dict) or set(data) != {"username", "password"}:
        raise CredentialsError(f'{path} must hold exactly the keys "username" and "password"')
    username, password = data["username"], data["password"]
    if not (isinstance(username, str) and username.strip() and isinstance(password, str)):
        raise CredentialsError(
            f'{path}: "username" must be a non-empty string and "password" a string'
        )
    if not password:
        raise CredentialsError(f'{path}: "password" is empty')
    return BrokerCredentials(username.strip(), password)


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
    "credentials_from_file",
    "delete_credentials",
    "read_credentials",
    "save_credentials",
]
