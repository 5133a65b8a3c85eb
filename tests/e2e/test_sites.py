"""Reading only where and when the agent allows: enabled sites, pause, several tabs, options."""

from __future__ import annotations

import time

from tests.e2e.conftest import paired
from tests.e2e.test_adapters import stored_messages
from tests.e2e.test_delivery import FIRST_THREE, add, ids, open_generic
from tests.support.browser import EXTENSION_ID, ExtensionBrowser, wait_for
from tests.support.daemon_process import TOKEN, DaemonProcess

CHATWOOT = "/app/accounts/1/conversations/42"


def test_a_site_that_was_not_enabled_is_not_read_until_it_is(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    browser.set_storage({"port": daemon.port, "token": TOKEN})
    page = browser.open(pages + CHATWOOT)
    time.sleep(2)  # ample time for a content script to have read the page, were there one
    assert daemon.request("GET", "/v1/conversations?status=all")["conversations"] == []
    assert browser.evaluate("() => chrome.scripting.getRegisteredContentScripts()") == []
    paired(browser, daemon, pages)  # now the agent enables it: the same page is read
    page.reload()
    wait_for(lambda: len(stored_messages(daemon, "chatwoot:127.0.0.1:42")) == 4, what="read")


def test_pause_reads_nothing_until_resumed(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    page = open_generic(browser, daemon, pages)
    popup = browser.popup(page)
    popup.locator("#paused").check()
    wait_for(lambda: browser.storage(["paused"]).get("paused") is True, what="paused")
    add(page, "r5", "customer", "typed while paused")
    time.sleep(1.5)
    assert ids(daemon) == FIRST_THREE
    assert browser.outbox() == []
    popup.locator("#paused").uncheck()
    # Resumed: what is on the page now is read.
    wait_for(lambda: ids(daemon) == [*FIRST_THREE, "r5"], what="read after resuming")


def test_several_console_tabs_each_deliver_their_own_conversation(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    paired(browser, daemon, pages)
    browser.open(pages + CHATWOOT)
    browser.open(pages + "/live/Xk3s9QmWcRz2bTt7A")
    browser.open(pages + "/app/accounts/1/conversations/42")  # the same chat in a second tab
    wait_for(lambda: len(stored_messages(daemon, "chatwoot:127.0.0.1:42")) == 4, what="chatwoot")
    wait_for(
        lambda: len(stored_messages(daemon, "rocketchat:127.0.0.1:Xk3s9QmWcRz2bTt7A")) == 5,
        what="rocket.chat",
    )
    # The second Chatwoot tab adds no new message (the daemon already has all four), so the
    # counts above can be met before it reports: wait for the tab map itself.
    expected = [
        "chatwoot:127.0.0.1:42",
        "chatwoot:127.0.0.1:42",
        "rocketchat:127.0.0.1:Xk3s9QmWcRz2bTt7A",
    ]
    wait_for(lambda: sorted(session_tabs(browser).values()) == expected, what="three tabs noted")
    assert len(stored_messages(daemon, "chatwoot:127.0.0.1:42")) == 4  # no duplicates


def session_tabs(browser: ExtensionBrowser) -> dict[str, str]:
    """The extension's tab -> conversation map for this browser session."""
    tabs: dict[str, str] = browser.evaluate(
        "async () => (await chrome.storage.session.get('tabs')).tabs ?? {}"
    )
    return tabs


def test_options_page_validates_and_saves_a_custom_console(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    options = browser.open(f"chrome-extension://{EXTENSION_ID}/src/options/options.html")
    form = options.locator("#generic-form")
    form.locator("[name=origin]").fill(pages)
    form.locator("[name=message]").fill(".hd-row[")
    form.locator("[name=customer]").fill(".hd-row--in")
    form.locator("button").click()
    wait_for(lambda: "not a valid CSS selector" in options.inner_text("#generic-note"), what="err")
    assert "generic" not in browser.storage(["generic"])
    form.locator("[name=message]").fill(".hd-row")
    form.locator("[name=text]").fill(".hd-body")
    form.locator("[name=id_attribute]").fill("data-ref")
    form.locator("[name=ignore]").fill(".hd-row--system")
    form.locator("button").click()
    wait_for(lambda: pages in browser.storage(["generic"]).get("generic", {}), what="saved")
    # With only `customer` set, every other message is the agent's.
    browser.set_storage({"port": daemon.port, "token": TOKEN, "sites": [pages]})
    browser.evaluate("() => globalThis.moodline.syncSites()")
    browser.open(f"{pages}/generic/console.html")
    conversation = "generic:127.0.0.1:/generic/console.html"

    def roles() -> list[str]:
        return [role for _id, role, _text in stored_messages(daemon, conversation)]

    wait_for(lambda: roles() == ["customer", "agent", "customer"], what="roles from options")
