"""A small synchronous client of the local API for the CLI (pair, reload, doctor)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from moodline.daemon.token_store import read_token


class DaemonUnavailableError(RuntimeError):
    """The daemon is not running or did not answer."""


def call(
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    port: int,
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Call the daemon on `port` with the keyring's token; return the decoded JSON answer."""
    token = read_token() or ""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            result: dict[str, Any] = json.loads(response.read())
            return result
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("message", exc.reason)
        except ValueError:
            detail = exc.reason
        raise DaemonUnavailableError(f"the daemon answered {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DaemonUnavailableError(
            f"no Moodline daemon answers on 127.0.0.1:{port} ({exc}); start it with "
            "`moodline daemon`"
        ) from exc
