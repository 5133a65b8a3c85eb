"""The pairing token in the OS keyring (service `moodline`, user `pairing-token`), never a file."""

from __future__ import annotations

import secrets

import keyring
import keyring.errors

SERVICE = "moodline"
USERNAME = "pairing-token"

KEYRING_HELP = (
    "Moodline keeps its pairing token in the OS keyring and found no usable one "
    "({backend}: {error}). On Windows and macOS the system keyring is built in; on Linux "
    "install and unlock a Secret Service provider (GNOME Keyring: `apt install gnome-keyring`, "
    "or KWallet) in your desktop session. On a headless Linux box run Moodline inside "
    "`dbus-run-session` with `gnome-keyring-daemon --unlock` (see README, 'Keyring'). "
    "Moodline never falls back to storing the token in a plain file."
)


class KeyringUnavailableError(RuntimeError):
    """No usable OS keyring; the message says what to install or configure."""


def _fail(error: Exception) -> KeyringUnavailableError:
    backend = type(keyring.get_keyring()).__module__
    return KeyringUnavailableError(KEYRING_HELP.format(backend=backend, error=error))


def read_token() -> str | None:
    """The stored token, or None if none was created yet."""
    try:
        value = keyring.get_password(SERVICE, USERNAME)
    except keyring.errors.KeyringError as exc:
        raise _fail(exc) from exc
    except Exception as exc:  # SecretService/D-Bus failures surface as various exceptions
        raise _fail(exc) from exc
    return value or None


def load_or_create_token() -> str:
    """The token, created (256 random bits) and saved on first use."""
    token = read_token()
    if token:
        return token
    token = secrets.token_urlsafe(32)
    try:
        keyring.set_password(SERVICE, USERNAME, token)
    except Exception as exc:
        raise _fail(exc) from exc
    if read_token() != token:
        raise _fail(RuntimeError("the keyring did not keep the token"))
    return token


def rotate_token() -> str:
    """Replace the token (unpairs every extension); return the new one."""
    token = secrets.token_urlsafe(32)
    try:
        keyring.set_password(SERVICE, USERNAME, token)
    except Exception as exc:
        raise _fail(exc) from exc
    return token


def delete_token() -> None:
    """Remove the token (uninstall --purge); nothing to do if there is none."""
    try:
        if keyring.get_password(SERVICE, USERNAME) is not None:
            keyring.delete_password(SERVICE, USERNAME)
    except Exception as exc:  # SecretService/D-Bus failures surface as various exceptions
        raise _fail(exc) from exc
