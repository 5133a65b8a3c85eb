"""`moodline doctor`'s checks: each says in plain words what is wrong and how to fix it."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from moodline.daemon.locations import Locations
from moodline.daemon.scoring.hashing import ModelIntegrityError
from moodline.daemon.scoring.heads import SHIPPED, HeadRegistry, verify_shipped_files
from moodline.daemon.settings import Settings, SettingsError, load_settings
from moodline.daemon.token_store import KeyringUnavailableError, read_token

Status = Literal["ok", "warn", "fail", "off"]
RECENT_S = 24 * 3600


@dataclass(frozen=True)
class Check:
    """One line of the report: `fail` makes doctor exit non-zero; `warn` only informs; `off`: a
    part that is not turned on (nothing to check)."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = {"ok": "✓", "warn": "!", "fail": "✗", "off": "-"}[self.status]
        text = f"{mark} {self.name:<10} {self.detail}"
        return f"{text}\n  → {self.fix}" if self.fix else text

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def check_settings(settings_file: Path) -> tuple[Check, Settings | None]:
    try:
        settings = load_settings(settings_file)
    except SettingsError as exc:
        return Check("settings", "fail", str(exc), "fix or delete the named keys"), None
    return Check("settings", "ok", "settings file is valid"), settings


def check_keyring() -> Check:
    try:
        token = read_token()
    except KeyringUnavailableError as exc:
        return Check(
            "keyring",
            "fail",
            f"no usable OS keyring ({exc})",
            "install and unlock one (Linux: gnome-keyring or KWallet in the desktop session)",
        )
    if token is None:
        return Check("keyring", "warn", "keyring usable; no token yet (made on first start)")
    return Check("keyring", "ok", "keyring usable and holds the pairing token")


def _health(port: int) -> dict[str, object] | None:
    """The daemon's health, None if nothing listens; raises ValueError if not Moodline."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=3) as response:
            if response.headers.get("X-Moodline-API") is None:
                raise ValueError("not Moodline")
            answer: dict[str, object] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as exc:
        raise ValueError("not Moodline") from exc
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def check_daemon(port: int) -> tuple[Check, dict[str, object] | None]:
    try:
        health = _health(port)
    except ValueError:
        return Check(
            "daemon",
            "fail",
            f"port {port} is used by a program that is not Moodline",
            "choose another port: moodline install --set port=NNNNN",
        ), None
    if health is not None:
        state = "ready" if health.get("ready") else str(health.get("status"))
        return Check("daemon", "ok", f"answering on 127.0.0.1:{port} ({state})"), health
    if _port_free(port):
        return Check(
            "daemon", "warn", f"not running; port {port} is free", "start it: moodline up"
        ), None
    return Check("daemon", "fail", f"port {port} is taken and does not answer", ""), None


def check_model(settings: Settings | None, heads: HeadRegistry) -> Check:
    names = [SHIPPED] + (
        [settings.active_head] if settings and settings.active_head != SHIPPED else []
    )
    try:
        metadata = verify_shipped_files()
        for name in names:
            heads.load(name)
    except (ModelIntegrityError, FileNotFoundError, OSError, ValueError) as exc:
        return Check(
            "model", "fail", str(exc), "reinstall Moodline, or `moodline model use shipped`"
        )
    agreement = metadata.get("onnx_agreement", {}).get("label_agreement")
    detail = f"encoder and head files present, hashes good ({', '.join(names)})"
    if agreement:
        detail += f"; 8-bit encoder agreed with its training model on {agreement:.2%} of labels"
    return Check("model", "ok", detail)


def check_extension(health: dict[str, object] | None, now: float) -> Check:
    if health is None:
        return Check("extension", "warn", "unknown: the daemon is not running")
    seen = health.get("extension_seen_at")
    if not isinstance(seen, int | float):
        return Check(
            "extension",
            "fail",
            "not seen since the daemon started",
            "install the extension, pair it and enable the console's site in its popup",
        )
    if now - seen > RECENT_S:
        return Check("extension", "warn", f"last seen {int((now - seen) // 3600)} h ago")
    return Check("extension", "ok", f"seen {int(now - seen)} s ago")


SET_UP_AGAIN = "Set up this site again in the extension's popup"


def check_reading(health: Mapping[str, object] | None, now: float) -> Check:
    """Whether the running daemon refused messages in the last 24 h because reading a site
    looked broken (a message id reused with new text: the set-up picked the wrong id)."""
    if health is None:
        return Check("reading", "warn", "unknown: the daemon is not running")
    problems = health.get("reading_problems")
    if not isinstance(problems, list):
        return Check("reading", "warn", "unknown: the daemon has not opened its history yet")
    recent = [
        p
        for p in problems
        if isinstance(p, dict) and isinstance(p.get("last_at"), int | float)
        if now - float(p["last_at"]) <= RECENT_S
    ]
    if not recent:
        return Check("reading", "ok", "every message sent in the last 24 h could be read")
    sites: dict[str, int] = {}
    for problem in recent:
        site = str(problem.get("site") or "a site the extension did not name")
        sites[site] = sites.get(site, 0) + int(problem.get("count", 0))
    named = ", ".join(f"{site} ({count} refused)" for site, count in sites.items())
    return Check(
        "reading",
        "warn",
        f"Moodline could not read some messages in the last 24 h on {named}: message ids "
        "came back with new text, so the set-up reads the wrong id",
        SET_UP_AGAIN,
    )


def check_autostart(registered: Callable[[], bool]) -> Check:
    if registered():
        return Check("autostart", "ok", "starts at login")
    return Check("autostart", "fail", "not registered to start at login", "run: moodline install")


def check_policy(present: Callable[[], list[Path]], expected: bool) -> Check:
    found = present()
    if found:
        return Check("policy", "ok", "browser policy present: " + ", ".join(map(str, found)))
    if expected:
        return Check(
            "policy", "fail", "the browser policy install wrote is gone", "moodline install again"
        )
    return Check(
        "policy", "warn", "no browser policy on this machine (extension installed by hand)"
    )


def run_checks(
    locations: Locations,
    autostart_registered: Callable[[], bool],
    policies_present: Callable[[], list[Path]],
    policy_expected: bool,
    clock: Callable[[], float] = time.time,
) -> list[Check]:
    """Every check, in the order an agent or IT would fix them."""
    from moodline.deploy.team_check import check_team  # imports this module's Check

    settings_check, settings = check_settings(locations.settings_file)
    daemon_check, health = check_daemon(settings.port if settings else 47615)
    return [
        settings_check,
        check_keyring(),
        daemon_check,
        check_model(settings, HeadRegistry(locations.heads)),
        check_extension(health, clock()),
        check_reading(health, clock()),
        check_autostart(autostart_registered),
        check_policy(policies_present, policy_expected),
        check_team(settings),
    ]
