"""The agent's path in the real popup: pair with a code, enable a site, set up an unknown console
by pointing and clicking, see the attribution and the badge."""

from __future__ import annotations

from urllib.parse import quote

from tests.e2e.test_adapters import stored_messages
from tests.support.browser import ExtensionBrowser, wait_for
from tests.support.daemon_process import TOKEN, DaemonProcess

BADGE_GLYPHS = {
    "very_negative": "⬣",
    "negative": "▼",
    "slightly_negative": "■",
    "neutral": "●",
    "slightly_positive": "◆",
    "positive": "▲",
    "very_positive": "★",
}


def test_pair_enable_and_point_and_click_setup(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    browser.set_storage({"port": daemon.port})
    console = browser.open(f"{pages}/generic/console.html")
    popup = browser.popup(console)
    wait_for(lambda: "Not paired" in popup.locator("#daemon").inner_text(), what="not paired")
    assert popup.locator("#pairing").is_visible()

    code = daemon.request("POST", "/v1/pairing-codes", {})["code"]
    wrong = "".join("Z" if c != "Z" else "Y" for c in code.replace("-", ""))
    popup.fill("#code", wrong)
    popup.click("#pair-form button")
    wait_for(lambda: "not right" in popup.locator("#pair-result").inner_text(), what="wrong code")
    popup.fill("#code", code.lower())  # typed casually: case and dashes do not matter
    popup.click("#pair-form button")
    wait_for(lambda: "Paired" in popup.locator("#pair-result").inner_text(), what="paired")
    assert browser.storage(["token"])["token"] == TOKEN

    popup.click("#enable")
    wait_for(
        lambda: "no chat found" in popup.locator("#site-state").inner_text(),
        what="the site enabled but no console recognised",
    )
    popup.click("#picker")

    host = console.locator("#moodline-picker-host")
    wait_for(lambda: "customer" in host.locator(".hint").inner_text(), what="the picker")
    console.locator(".hd-row--in .hd-body").first.click()
    console.locator(".hd-row--out .hd-body").first.click()
    wait_for(
        lambda: "2 customer and 1 agent" in host.locator(".detail").inner_text(),
        what="the picker's preview",
    )
    host.locator("button.save").click()

    conversation = "generic:127.0.0.1:/generic/console.html"
    want = [
        ("r1", "customer", "Hi, my order #5521 never arrived."),
        ("r2", "agent", "Sorry to hear that! Let me check."),
        ("r4", "customer", "It's been two weeks, this is ridiculous."),
    ]
    wait_for(lambda: stored_messages(daemon, conversation) == want, what="the picked selectors")

    level = daemon.request("GET", f"/v1/conversations/{quote(conversation, safe='')}")["level"]
    tab_id = browser.evaluate(
        "async (url) => (await chrome.tabs.query({})).find((t) => t.url === url).id", console.url
    )
    wait_for(
        lambda: (
            browser.evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab_id)
            == BADGE_GLYPHS[level]
        ),
        what=f"the badge showing {level}",
    )

    popup = browser.popup(console)
    wait_for(
        lambda: "2 customer and 1 agent" in popup.locator("#attribution-summary").inner_text(),
        what="the attribution shown in the popup",
    )
    assert popup.locator("#recent li").first.inner_text().startswith("Customer")
    popup.click("#swap")
    wait_for(lambda: browser.storage(["swapRoles"]).get("swapRoles") == {pages: True}, what="swap")
