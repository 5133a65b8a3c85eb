"""Nothing lost, nothing twice: re-renders, switches, a dying daemon, a stopped worker, a browser
restart, and a page Chromium treats as public — real extension, real Chromium, real daemon."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Playwright

from tests.e2e.conftest import FIXTURES, paired
from tests.e2e.test_adapters import stored_messages
from tests.support.browser import ExtensionBrowser, load_json, wait_for
from tests.support.daemon_process import DaemonProcess

GENERIC = load_json(FIXTURES / "generic" / "config.json")
CONVERSATION = "generic:127.0.0.1:T-1001"
FIRST_THREE = ["r1", "r2", "r4"]


def ids(daemon: DaemonProcess, conversation: str = CONVERSATION) -> list[str]:
    return [message_id for message_id, _role, _text in stored_messages(daemon, conversation)]


def open_generic(browser: ExtensionBrowser, daemon: DaemonProcess, pages: str) -> Page:
    paired(browser, daemon, pages, generic={pages: {**GENERIC, "origin": pages}})
    page = browser.open(f"{pages}/generic/console.html")
    wait_for(lambda: ids(daemon) == FIRST_THREE, what="the first messages")
    return page


def add(page: Page, message_id: str, role: str, text: str) -> None:
    page.evaluate("(m) => consoleKit.add(m)", {"id": message_id, "role": role, "text": text})


def test_rerendered_virtualised_and_switched_lists_send_each_message_once(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    page = browser.open(pages + "/app/accounts/1/conversations/42")
    paired(browser, daemon, pages)
    page.reload()
    first = "chatwoot:127.0.0.1:42"
    wait_for(lambda: len(ids(daemon, first)) == 4, what="chatwoot's four messages")
    page.evaluate("consoleKit.rerender()")
    page.evaluate("consoleKit.virtualise(2)")
    page.evaluate("consoleKit.add({id: '107', kind: 'customer', text: 'Any news?'})")
    page.evaluate("consoleKit.virtualise(1)")
    page.evaluate("consoleKit.add({id: '108', kind: 'agent', text: 'Yes, refunded today.'})")
    page.evaluate("consoleKit.switchTo('43')")
    page.evaluate("consoleKit.add({id: '201', kind: 'customer', text: 'Hello, quick question'})")
    second = "chatwoot:127.0.0.1:43"
    wait_for(lambda: ids(daemon, second) == ["201"], what="the switched-to conversation")
    want = ["101", "103", "105", "106", "107", "108"]
    wait_for(lambda: ids(daemon, first) == want, what=f"all once: {ids(daemon, first)}")
    # The reader itself sent each message once: re-renders resent nothing.
    assert browser.evaluate("() => globalThis.moodline.sent()") == 7
    assert wait_for(
        lambda: daemon.request("GET", "/v1/conversations")["focus"] == second, what="focus"
    )


def test_daemon_killed_and_restarted_mid_conversation_loses_nothing(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    page = open_generic(browser, daemon, pages)
    daemon.kill()
    for n in range(5, 9):
        add(page, f"r{n}", "customer" if n % 2 else "agent", f"message number {n} while down")
    wait_for(lambda: len(browser.outbox()) == 4, what="four messages waiting in the outbox")
    daemon.start()
    wait_for(lambda: ids(daemon) == [*FIRST_THREE, "r5", "r6", "r7", "r8"], timeout=45, what="all")
    # The daemon stores a batch before it answers; the worker empties its outbox on the answer.
    wait_for(lambda: browser.outbox() == [], what="the outbox emptied after the daemon's answer")


def test_worker_stopped_mid_queue_delivers_after_waking(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    page = open_generic(browser, daemon, pages)
    daemon.kill()
    add(page, "r5", "customer", "are you still there?")
    add(page, "r6", "customer", "hello???")
    wait_for(lambda: len(browser.outbox()) == 2, what="two queued messages")
    browser.stop_worker()
    daemon.start()
    # Nothing happens on the page: the worker's retry alarm must wake it and send the outbox.
    wait_for(lambda: ids(daemon) == [*FIRST_THREE, "r5", "r6"], timeout=75, what="after waking")


def test_browser_restart_keeps_the_outbox_and_the_site(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    page = open_generic(browser, daemon, pages)
    daemon.kill()
    add(page, "r5", "customer", "this waits through a browser restart")
    wait_for(lambda: len(browser.outbox()) == 1, what="one queued message")
    browser.restart()
    daemon.start()
    wait_for(lambda: ids(daemon) == [*FIRST_THREE, "r5"], timeout=45, what="after the restart")
    page = browser.open(f"{pages}/generic/console.html")  # the site is still read
    add(page, "r9", "customer", "new after restart")
    wait_for(lambda: ids(daemon)[-1:] == ["r9"], what="a message read after the restart")


def test_hostile_text_is_kept_literal_and_oversized_text_truncated(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    page = open_generic(browser, daemon, pages)
    add(page, "r5", "customer", '<img src=x onerror="alert(1)"> <b>bold</b>')
    add(page, "r6", "customer", "long " * 5000)
    wait_for(lambda: len(ids(daemon)) == 5, what="both messages")
    texts = {mid: text for mid, _role, text in stored_messages(daemon, CONVERSATION)}
    assert texts["r5"] == '<img src=x onerror="alert(1)"> <b>bold</b>'
    assert len(texts["r6"]) == 4000


@pytest.fixture
def public_browser(
    playwright: Playwright, pages: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ExtensionBrowser]:
    port = pages.rsplit(":", 1)[1]
    chromium = ExtensionBrowser(
        playwright,
        tmp_path_factory.mktemp("public") / "profile",
        extra_args=[f"--ip-address-space-overrides=127.0.0.1:{port}=public"],
    ).launch()
    yield chromium
    chromium.close()


def test_console_on_a_public_site_reaches_the_daemon_through_the_worker(
    public_browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    page = open_generic(public_browser, daemon, pages)
    # The page itself may not reach the daemon (Local Network Access); the extension still does.
    direct = page.evaluate(
        "(port) => fetch(`http://127.0.0.1:${port}/v1/health`)"
        ".then(() => 'reached', () => 'blocked')",
        daemon.port,
    )
    assert direct == "blocked"
    add(page, "r5", "customer", "sent from a public site")
    wait_for(lambda: ids(daemon)[-1:] == ["r5"], what="the public site's message")
