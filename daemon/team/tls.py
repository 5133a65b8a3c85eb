"""The team broker's TLS: the system trust store or a given CA, an optional client certificate."""

from __future__ import annotations

import os
import ssl
from pathlib import Path


class TeamTlsError(ValueError):
    """A TLS setting names a file that is missing, unreadable or not what it should be."""


def _check_file(key: str, value: str) -> None:
    path = Path(value)
    if not path.is_absolute():
        raise TeamTlsError(f"{key} must be an absolute path, not {value!r}")
    if not path.is_file():
        raise TeamTlsError(f"{key}: no such file {value}")
    if not os.access(path, os.R_OK):
        raise TeamTlsError(f"{key}: {value} is not readable by this user")


def check_tls_files(tls: bool, ca_file: str | None, cert: str | None, key: str | None) -> None:
    """Raise TeamTlsError unless the files are usable: only with mqtts://, a certificate with its
    key, each an absolute path to a readable PEM file that loads."""
    given = {"team_ca_file": ca_file, "team_client_cert": cert, "team_client_key": key}
    named = [name for name, value in given.items() if value is not None]
    if not named:
        return
    if not tls:
        raise TeamTlsError(f"{', '.join(named)} only apply to an mqtts:// team_broker")
    if (cert is None) != (key is None):
        raise TeamTlsError("team_client_cert and team_client_key go together: set both or neither")
    for name in named:
        _check_file(name, str(given[name]))
    make_context(ca_file, cert, key)


def _no_password() -> str:
    raise TeamTlsError("team_client_key is encrypted: give the daemon an unencrypted key file")


def make_context(ca_file: str | None, cert: str | None, key: str | None) -> ssl.SSLContext:
    """A client context that verifies the broker (by `ca_file`, else the system trust store) and
    presents `cert` and `key` when given."""
    try:
        context = ssl.create_default_context(cafile=ca_file)
    except (ssl.SSLError, OSError) as exc:
        raise TeamTlsError(f"team_ca_file {ca_file}: not a PEM CA certificate ({exc})") from exc
    if cert is not None:
        try:
            context.load_cert_chain(cert, key, password=_no_password)
        except (ssl.SSLError, OSError) as exc:
            raise TeamTlsError(
                f"team_client_cert {cert} with team_client_key {key}: not a PEM certificate and "
                f"its matching unencrypted key ({exc})"
            ) from exc
    return context
