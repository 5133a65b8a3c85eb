"""Reading health in real Chromium with a real daemon: a set-up that reads the wrong id, one
that reads every message as the customer's, and one that matches nothing are told to the agent on
the badge and in the popup, with the fix ("Set up this site again"), and never end in silent loss:
the daemon counts what it refused. Setting the site up again clears the mark."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Page

from tests.e2e.conftest import FIXTURES, paired
from tests.e2e.test_adapters import stored_messages
from tests.support.browser import ExtensionBrowser, load_json, wait_for
from tests.support.daemon_process import DaemonProcess

HASHED = FIXTURES / "picker" / "hashed"
CONVERSATION = "generic:127.0.0.1:/picker/hashed/page.html"
# The hashed console, set up by hand (as in the options page) with the author's role as the id:
# every customer message carries data-author="customer", every agent message "agent".
WRONG_ID = {
    "list": "#root section",
    "message": ":scope > div",
    "customer": '[data-author="customer"]',
    "agent": '[data-author="agent"]',
    "ignore": '[data-kind="internal_note"], [data-kind="event"], [aria-live]',
    "text": "p",
    "id_attribute": "data-author",
}


def badge(browser: ExtensionBrowser, page: Page) -> tuple[str, str]:
    """The badge's text and tooltip on `page`'s tab."""
    result: list[str] = browser.evaluate(
        """async (url) => {
            const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
            return [await chrome.action.getBadgeText({tabId: tab.id}),
                    await chrome.action.getTitle({tabId: tab.id})];
        }""",
        page.url,
    )
    return result[0], result[1]


def conversation(daemon: DaemonProcess) -> dict[str, object]:
    """The conversation's state, or {} while the daemon does not know it yet."""
    try:
        return daemon.request("GET", f"/v1/conversations/{quote(CONVERSATION, safe='')}")
    except OSError:
        return {}


def reading_shown(browser: ExtensionBrowser, page: Page, words: str) -> Page:
    """Opens the popup about `page` and waits until it shows the reading problem `words`."""
    popup = browser.popup(page)
    wait_for(
        lambda: (
            popup.locator("#reading").is_visible()
            and words in popup.locator("#reading-text").inner_text()
        ),
        what=f"the popup saying {words!r}",
    )
    return popup


def test_a_wrong_id_attribute_is_told_counted_and_fixed_by_setting_the_site_up_again(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    paired(browser, daemon, pages, generic={pages: {**WRONG_ID, "origin": pages}})
    page = browser.open(f"{pages}/picker/hashed/page.html")

    # Six messages, two ids: the daemon stores the first of each and refuses (and counts) four.
    wait_for(
        lambda: conversation(daemon).get("reading_problems") == 4, what="four refusals counted"
    )
    assert [i for i, _role, _text in stored_messages(daemon, CONVERSATION)] == ["customer", "agent"]
    health = daemon.request("GET", "/v1/health")["reading_problems"]
    assert [(p["site"], p["problem"], p["count"]) for p in health] == [
        ("generic", "id_reused_with_new_text", 4)
    ]
    # The page's own check ("messages share an id") may mark the badge first; the refusals win.
    wait_for(
        lambda: (
            badge(browser, page)[0] == "!"
            and "could not read 4 messages" in badge(browser, page)[1]
        ),
        what="the badge marking the refusals",
    )
    popup = reading_shown(browser, page, "Moodline could not read 4 messages on this site")
    assert "wrong id" in popup.locator("#reading-text").inner_text()
    assert browser.outbox() == [] and browser.storage(["rejected"]).get("rejected", []) == []

    # The fix, from the popup: the point-and-click set-up, which checks the id is unique.
    popup.locator("#setup-again").click()
    panel = page.locator("#moodline-picker-host")
    wait_for(lambda: "customer" in panel.locator(".hint").inner_text(), what="the picker")
    for step in load_json(HASHED / "expected.json")["clicks"]:
        page.locator(step["click"]).first.click()
    wait_for(lambda: "found" in panel.locator(".detail").inner_text(), what="the preview")
    panel.locator("button.save").click()
    saved = wait_for(
        lambda: browser.storage(["generic"])["generic"][pages].get("id_verified"), what="saved"
    )
    assert saved is True
    assert browser.storage(["readingProblems"]).get("readingProblems", {}) == {}
    wait_for(lambda: badge(browser, page)[0] not in ("!", ""), what="the level back on the badge")
    popup = browser.popup(page)
    summary = popup.locator("#attribution-summary")
    wait_for(lambda: "3 customer and 3 agent" in summary.inner_text(), what="the attribution")
    assert not popup.locator("#reading").is_visible()

    # Read again under their own ids; an edit is now an edit (ids vouched for), not a refusal.
    wait_for(lambda: len(stored_messages(daemon, CONVERSATION)) == 8, what="the six, re-read")
    edited = "Thanks. It has been a week already, this is so annoying."
    page.evaluate(
        "(t) => { document.querySelector('[data-event-id=evt_9a06f3c4e] p').textContent = t; }",
        edited,
    )
    wait_for(
        lambda: ("evt_9a06f3c4e", "customer", edited) in stored_messages(daemon, CONVERSATION),
        what="the edit stored",
    )
    assert conversation(daemon)["reading_problems"] == 4  # nothing refused since


def test_every_message_read_as_the_customer_is_told_until_the_set_up_is_fixed(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    config = load_json(FIXTURES / "generic" / "config.json")
    everyone = {**config, "customer": ".hd-row", "agent": None, "origin": pages}
    paired(browser, daemon, pages, generic={pages: everyone})
    page = browser.open(f"{pages}/generic/console.html")
    for n in range(5, 8):
        role = "customer" if n % 2 else "agent"
        page.evaluate("(m) => consoleKit.add(m)", {"id": f"r{n}", "role": role, "text": f"hi {n}"})
    wait_for(lambda: badge(browser, page)[0] == "!", what="the badge marking the problem")
    reading_shown(browser, page, "All 6 messages read on this page are the customer's")

    browser.set_storage({"generic": {pages: {**config, "origin": pages}}})  # the options page
    wait_for(lambda: badge(browser, page)[0] != "!", what="the mark cleared")
    popup = browser.popup(page)
    summary = popup.locator("#attribution-summary")
    wait_for(lambda: "4 customer and 2 agent" in summary.inner_text(), what="the attribution")
    assert not popup.locator("#reading").is_visible()


def test_a_set_up_that_matches_nothing_on_the_page_is_told(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    config = {**load_json(FIXTURES / "generic" / "config.json"), "origin": pages}
    paired(browser, daemon, pages, generic={pages: {**config, "list": ".chat-log"}})
    page = browser.open(f"{pages}/generic/console.html")
    wait_for(lambda: badge(browser, page)[0] == "!", timeout=30, what="the badge after 10 s")
    reading_shown(browser, page, "finds no chat on this page")
