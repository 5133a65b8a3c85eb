"""`moodline daemon` (and `moodline up`): start the local API on 127.0.0.1."""

from __future__ import annotations

import argparse
import errno
import logging
import socket
import sys
from typing import Any

from moodline.commands.options import add_data_dir
from moodline.daemon.settings import SettingsError, load_settings
from moodline.daemon.token_store import KeyringUnavailableError, load_or_create_token

HOST = "127.0.0.1"
log = logging.getLogger(__name__)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            return exc.errno != errno.EADDRINUSE
    return True


def run(args: argparse.Namespace) -> int:
    from aiohttp import web

    from moodline.daemon.http.app import create_app, default_service_factory
    from moodline.daemon.http.state import DaemonState
    from moodline.exit_codes import EXIT_CONFIG, EXIT_DAEMON, EXIT_KEYRING

    logging.basicConfig(
        level=getattr(logging, str(getattr(args, "log_level", "INFO")).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(args.locations.settings_file, overrides={"port": args.port})
    except SettingsError as exc:
        print(f"moodline: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        token = load_or_create_token()
    except KeyringUnavailableError as exc:
        print(f"moodline: {exc}", file=sys.stderr)
        return EXIT_KEYRING
    if not _port_free(settings.port):
        print(
            f"moodline: port {settings.port} on {HOST} is in use. Is Moodline already running? "
            "Choose another with --port or the `port` setting.",
            file=sys.stderr,
        )
        return EXIT_DAEMON
    locations = args.locations
    locations.data.mkdir(parents=True, exist_ok=True)
    state = DaemonState(settings=settings, locations=locations, token=token)
    app = create_app(state, default_service_factory())
    print(
        f"moodline daemon listening on http://{HOST}:{settings.port} (data: {locations.data})",
        flush=True,
    )
    access_log = logging.getLogger("aiohttp.access") if log.isEnabledFor(logging.DEBUG) else None
    web.run_app(
        app, host=HOST, port=settings.port, print=None, handle_signals=True, access_log=access_log
    )
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("daemon", help="run the local scoring daemon on 127.0.0.1")
    p.add_argument("--port", type=int, help="TCP port (default: the settings' port, 47615)")
    add_data_dir(p)
    p.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (default INFO)")
    p.set_defaults(run=run)
