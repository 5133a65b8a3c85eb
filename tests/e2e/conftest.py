"""End-to-end fixtures: a real daemon process, fixture pages on 127.0.0.1, real Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from playwright.sync_api import Playwright, sync_playwright

from tests.conftest import free_port
from tests.support.browser import EXTENSION_DIR, ExtensionBrowser
from tests.support.daemon_process import TOKEN, DaemonProcess

FIXTURES = EXTENSION_DIR / "tests" / "fixtures"

pytestmark = pytest.mark.e2e


def _routes() -> list[tuple[re.Pattern[str], str]]:
    """URL paths a console uses (e.g. /live/<room>) mapped to that console's fixture page."""
    routes = []
    for expected in sorted(FIXTURES.glob("*/expected.json")):
        for pattern in json.loads(expected.read_text()).get("routes", []):
            routes.append((re.compile(pattern), f"/{expected.parent.name}/page.html"))
    return routes


class _FixtureHandler(http.server.SimpleHTTPRequestHandler):
    routes: ClassVar[list[tuple[re.Pattern[str], str]]] = []

    def translate_path(self, path: str) -> str:
        bare = path.split("?", 1)[0].split("#", 1)[0]
        for pattern, page in self.routes:
            if pattern.match(bare):
                return super().translate_path(page)
        return super().translate_path(path)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(scope="session")
def pages() -> Iterator[str]:
    """The fixture pages, served over HTTP on 127.0.0.1; yields the base URL."""
    _FixtureHandler.routes = _routes()
    handler = functools.partial(_FixtureHandler, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[DaemonProcess]:
    (tmp_path / "daemon").mkdir()
    process = DaemonProcess(tmp_path / "daemon", free_port())
    process.start()
    yield process
    process.stop()


@pytest.fixture
def playwright() -> Iterator[Playwright]:
    # Per test: sync Playwright keeps an event loop running while it is open, which would break
    # the asyncio tests that run after the end-to-end ones.
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def browser(playwright: Playwright, tmp_path: Path) -> Iterator[ExtensionBrowser]:
    chromium = ExtensionBrowser(playwright, tmp_path / "profile").launch()
    yield chromium
    chromium.close()


def paired(browser: ExtensionBrowser, daemon: DaemonProcess, origin: str, **extra: object) -> None:
    """Gives the extension the daemon's port and token and enables `origin` (no popup)."""
    browser.set_storage({"port": daemon.port, "token": TOKEN, "sites": [origin], **extra})
    browser.evaluate("() => globalThis.moodline.syncSites()")  # registered before pages open
