"""Real Chromium with the real unpacked Moodline extension, driven by Playwright."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import BrowserContext, Page, Playwright, Worker

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"
EXTENSION_ID = "baboeghhdeejdobimlkgoomgehfbpjnc"
CHROMIUM = "/usr/bin/chromium"
T = TypeVar("T")


def chromium_path() -> str:
    """Debian's Chromium (installed by .ci/system-deps); a clear failure when it is missing."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        raise RuntimeError("Chromium is missing: run `bash .ci/system-deps` (apt chromium)")
    return found


def wait_for(check: Callable[[], T | None], timeout: float = 20.0, what: str = "condition") -> T:
    """Polls `check` until it returns something truthy; fails naming `what`."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


class ExtensionBrowser:
    """A persistent Chromium profile with the extension loaded; survives `restart()`."""

    def __init__(self, playwright: Playwright, profile: Path, extra_args: list[str] | None = None):
        self.playwright = playwright
        self.profile = profile
        self.extra_args = extra_args or []
        self.context: BrowserContext | None = None

    def launch(self) -> ExtensionBrowser:
        self.context = self.playwright.chromium.launch_persistent_context(
            str(self.profile),
            executable_path=chromium_path(),
            headless=True,
            ignore_default_args=["--disable-extensions"],
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--disable-extensions-except={EXTENSION_DIR}",
                f"--load-extension={EXTENSION_DIR}",
                *self.extra_args,
            ],
        )
        self.worker()  # the extension must come up, with the id its key fixes
        return self

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None

    def restart(self) -> None:
        """Closes the browser and starts it again on the same profile (a browser restart)."""
        self.close()
        self.launch()

    @property
    def ctx(self) -> BrowserContext:
        assert self.context is not None, "browser not launched"
        return self.context

    def worker(self) -> Worker:
        for worker in self.ctx.service_workers:
            if worker.url.startswith(f"chrome-extension://{EXTENSION_ID}/"):
                return worker
        worker = self.ctx.wait_for_event("serviceworker", timeout=20000)
        if not worker.url.startswith(f"chrome-extension://{EXTENSION_ID}/"):
            raise AssertionError(f"unexpected service worker {worker.url}")
        return worker

    def stop_worker(self) -> None:
        """Stops the extension's service worker as Chromium does when it idles."""
        self.worker()
        page = self.ctx.new_page()
        page.goto("chrome://serviceworker-internals/")
        page.get_by_role("button", name="Stop").first.click()
        wait_for(
            lambda: "Running Status: STOPPED" in page.inner_text("body"),
            what="the service worker to stop",
        )
        page.close()

    def evaluate(self, script: str, arg: Any = None) -> Any:
        """Runs `script` (an async function of `arg`) in the extension's service worker."""
        return self.worker().evaluate(script, arg)

    def storage(self, keys: list[str] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.evaluate("(keys) => chrome.storage.local.get(keys)", keys)
        return result

    def set_storage(self, values: dict[str, Any]) -> None:
        self.evaluate("(values) => chrome.storage.local.set(values)", values)

    def outbox(self) -> list[dict[str, Any]]:
        return list(self.storage(["outbox"]).get("outbox", []))

    def open(self, url: str) -> Page:
        page = self.ctx.new_page()
        page.goto(url)
        return page

    def popup(self, tab_page: Page | None = None) -> Page:
        """Opens the popup as a page about `tab_page`'s tab."""
        query = ""
        if tab_page is not None:
            tab_id = self.evaluate(
                "async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id",
                tab_page.url,
            )
            query = f"?tab={tab_id}"
        return self.open(f"chrome-extension://{EXTENSION_ID}/src/popup/popup.html{query}")


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
