"""`moodline install`: settings, pairing provisioning, model check, start at login, policies."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from moodline.commands.team_options import (
    add_team_arguments,
    mark_set_by_it,
    team_changes,
    team_credentials,
)
from moodline.daemon.scoring.hashing import ModelIntegrityError
from moodline.daemon.settings import load_settings, update_settings
from moodline.daemon.team_credentials import save_credentials
from moodline.deploy import backend_for, install, login_argv
from moodline.deploy.browser_policy import DEFAULT_UPDATE_URL, ExtensionPolicy, PolicyError
from moodline.deploy.policy_files import write_policy_folder, write_system_policies
from moodline.deploy.policy_record import save_policy_record
from moodline.errors import AutostartNotRegisteredError, PolicyNotWrittenError, UsageError
from moodline.exit_codes import EXIT_OK


def system_root() -> Path:
    """`/`, or `MOODLINE_SYSTEM_ROOT` (a staging root for packaging and tests, like DESTDIR)."""
    return Path(os.environ.get("MOODLINE_SYSTEM_ROOT", "/"))


def _value(text: str) -> Any:
    """`--set` values are TOML (47700, true, "negative", [..]); a bare word is a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def setting_changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if args.settings:
        changes.update(tomllib.loads(Path(args.settings).read_text(encoding="utf-8")))
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--set {item!r}: write KEY=VALUE, e.g. --set port=47700")
        changes[key.strip()] = _value(value.strip())
    return changes


def provisioning_secret(args: argparse.Namespace) -> str | None:
    secret = None
    if args.provision_secret_file:
        secret = Path(args.provision_secret_file).read_text(encoding="utf-8").strip()
    elif args.provision_secret_env:
        secret = os.environ.get(args.provision_secret_env, "").strip()
        if not secret:
            raise ValueError(f"the environment variable {args.provision_secret_env} is empty")
    if secret is not None and len(secret) < 16:
        raise ValueError("the provisioning secret must have at least 16 characters")
    return secret


def _policy(
    args: argparse.Namespace, port: int, secret: str | None, ids: list[str]
) -> ExtensionPolicy:
    adapters: tuple[dict[str, Any], ...] = ()
    if args.generic:
        loaded = json.loads(Path(args.generic).read_text(encoding="utf-8"))
        adapters = tuple(loaded if isinstance(loaded, list) else [loaded])
    return ExtensionPolicy(
        extension_id=args.extension_id or ids[0],
        update_url=args.update_url,
        daemon_port=port,
        enabled_sites=tuple(args.site or ()),
        generic_adapters=adapters,
        pairing_secret=secret,
    )


def run(args: argparse.Namespace) -> int:
    say = (lambda _text: None) if args.silent else print
    try:
        changes = {**setting_changes(args), **team_changes(args)}
        secret = provisioning_secret(args)
    except (ValueError, OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(str(exc)) from exc
    credentials = team_credentials(args)
    if secret:
        changes["provisioning_secret_sha256"] = hashlib.sha256(secret.encode()).hexdigest()
    settings_file = args.locations.settings_file
    settings = load_settings(settings_file)
    if changes:
        changes = mark_set_by_it(changes, settings.set_by_it)
        settings = update_settings(changes, settings_file, by_it=True)
    say(f"settings: {len(changes)} change(s) saved" if changes else "settings: unchanged")
    if credentials is not None:
        save_credentials(credentials)
        say(f"keyring: team broker credentials for {credentials.username} stored")

    from moodline.daemon.scoring.heads import verify_shipped_files

    try:
        verify_shipped_files()
    except ModelIntegrityError as exc:
        raise ModelIntegrityError(f"the shipped model is damaged: {exc}") from exc
    say("model: the shipped files match their hashes")

    if not args.system:
        from moodline.daemon.token_store import load_or_create_token

        load_or_create_token()
        say("keyring: pairing token ready")

    if args.autostart != "none":
        method = None if args.autostart == "default" else args.autostart
        try:
            backend = backend_for(system=args.system, method=method, root=system_root())
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        result = install(
            backend,
            login_argv(),
            args.locations.install_record(system=args.system),
            force=args.force,
            home=Path.home(),
        )
        say(result.describe())
        if not result.ok:
            raise AutostartNotRegisteredError("start at login was not registered (see above)")

    if args.policy or args.policy_dir:
        try:
            policy = _policy(args, settings.port, secret, settings.allowed_extension_ids)
            if args.policy_dir:
                written = write_policy_folder(policy, Path(args.policy_dir))
            elif args.system and sys.platform.startswith("linux"):
                written = write_system_policies(policy, system_root())
            else:
                raise UsageError(
                    "--policy writes system policy on Linux with --system; "
                    "elsewhere use --policy-dir DIR"
                )
        except (PolicyError, ValueError, OSError) as exc:
            raise PolicyNotWrittenError(f"browser policy not written: {exc}") from exc
        save_policy_record(args.locations.policy_record(system=args.system), written)
        for path in written:
            say(f"wrote {path}")
    say("Moodline is installed: it starts at the next login (or now: moodline up).")
    return EXIT_OK


def add_parser(sub: Any) -> None:
    """`moodline install` and its options (IT runs it silently on many desktops)."""
    p = sub.add_parser("install", help="start at login, settings, browser policy (for IT)")
    p.add_argument("--system", action="store_true", help="for all users (needs admin rights)")
    p.add_argument(
        "--silent", action="store_true", help="no prompts, no progress: for mass deployment"
    )
    p.add_argument(
        "--autostart",
        default="default",
        choices=["default", "xdg", "systemd", "launchagent", "run-key", "startup-folder", "none"],
        help="how to start at login (default: the OS's usual way)",
    )
    p.add_argument("--force", action="store_true", help="replace an autostart entry made by hand")
    p.add_argument("--settings", metavar="FILE", help="a TOML file of settings to apply")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="one setting, repeatable")
    p.add_argument(
        "--provision-secret-file",
        metavar="FILE",
        help="pairing without codes: the secret shared with the extension's policy",
    )
    p.add_argument("--provision-secret-env", metavar="VAR", help="... or read it from VAR")
    p.add_argument(
        "--policy",
        action="store_true",
        help="write Chrome/Edge/Chromium policy into /etc (Linux, with --system)",
    )
    p.add_argument(
        "--policy-dir",
        metavar="DIR",
        help="write every policy form (Linux JSON, Windows .reg, macOS profile) here",
    )
    p.add_argument("--site", action="append", metavar="ORIGIN", help="console to read, repeatable")
    p.add_argument("--generic", metavar="FILE", help="JSON list of generic adapter configs")
    p.add_argument("--update-url", default=DEFAULT_UPDATE_URL, help="where browsers get the .crx")
    p.add_argument("--extension-id", help="the packed extension's id (default: the allowed id)")
    add_team_arguments(p)
    p.set_defaults(run=run)
