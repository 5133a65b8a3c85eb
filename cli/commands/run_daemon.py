"""`moodline daemon` (and `moodline up`): start the local API on 127.0.0.1."""

from __future__ import annotations

import argparse
import errno
import logging
import socket
from typing import Any

from moodline.commands.options import add_data_dir
from moodline.daemon.settings import load_settings
from moodline.daemon.token_store import load_or_create_token
from moodline.errors import PortInUseError

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

    logging.basicConfig(
        level=getattr(logging, str(getattr(args, "log_level", "INFO")).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = load_settings(args.locations.settings_file, overrides={"port": args.port})
    token = load_or_create_token()
    if not _port_free(settings.port):
        raise PortInUseError(
            f"port {settings.port} on {HOST} is in use. Is Moodline already running? "
            "Choose another with --port or the `port` setting."
        )
    locations = args.locations
    locations.data.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, locations, token, default_service_factory())
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
