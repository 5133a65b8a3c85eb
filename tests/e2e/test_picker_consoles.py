"""The point-and-click set-up on consoles no adapter knows: six markup families
(extension/tests/fixtures/picker/), each set up through the real picker in real Chromium with the
agent's clicks only, read into a real daemon: every message once with its role, and no internal
note, system line or typing indicator stored, then or later."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page

from tests.e2e.conftest import FIXTURES, paired
from tests.e2e.test_adapters import stored_messages
from tests.support.browser import ExtensionBrowser, load_json, wait_for
from tests.support.daemon_process import DaemonProcess

PICKER = FIXTURES / "picker"
CHAT = load_json(PICKER / "conversation.json")
FAMILIES = ["hashed", "testid", "aria", "table", "components", "iframe"]
PRIVATE = [
    i["text"] for i in [*CHAT["items"], *CHAT["later"]] if i["kind"] not in ("customer", "agent")
]


def said(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(role, text) of the customer's and agents' messages, in order."""
    return [(i["kind"], i["text"]) for i in items if i["kind"] in ("customer", "agent")]


def set_up_by_clicks(
    browser: ExtensionBrowser, page: Page, clicks: list[dict[str, str]], preview: bool = True
) -> Locator:
    """Opens the picker from the popup and clicks as the agent would; returns the picker panel."""
    popup = browser.popup(page)
    popup.click("#picker")
    panel = page.locator("#moodline-picker-host")
    wait_for(lambda: "customer" in panel.locator(".hint").inner_text(), what="the picker")
    for step in clicks:
        if "button" in step:
            panel.locator(step["button"]).click()
        elif "frame" in step:
            page.frame_locator(step["frame"]).locator(step["click"]).first.click()
        else:
            page.locator(step["click"]).first.click()
    if preview:
        wait_for(lambda: "found" in panel.locator(".detail").inner_text(), what="the preview")
    return panel


def stored(daemon: DaemonProcess, conversation: str) -> list[tuple[str, str]]:
    return [(role, text) for _id, role, text in stored_messages(daemon, conversation)]


def every_stored_text(daemon: DaemonProcess) -> list[str]:
    listed = daemon.request("GET", "/v1/conversations?status=all")["conversations"]
    return [t for c in listed for _id, _role, t in stored_messages(daemon, c["conversation_id"])]


@pytest.mark.parametrize("family", FAMILIES)
def test_a_console_set_up_by_clicks_only_stores_every_message_once_and_nothing_private(
    family: str, browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    expected = load_json(PICKER / family / "expected.json")
    paired(browser, daemon, pages)
    page = browser.open(pages + expected["path"])
    panel = set_up_by_clicks(browser, page, expected["clicks"])
    want = said(CHAT["items"])
    customers = sum(role == "customer" for role, _text in want)
    counts = f"{customers} customer and {len(want) - customers} agent messages found"
    assert counts in panel.locator(".detail").inner_text()
    assert panel.locator(".warnings li").count() == 0, panel.locator(".warnings").inner_text()
    panel.locator("button.save").click()

    conversation = f"generic:127.0.0.1:{expected['conversation']}"
    wait_for(lambda: stored(daemon, conversation) == want, what=f"{family}: {want}")
    for item in CHAT["later"]:  # the console goes on: a message, a note, a reply
        page.evaluate("(m) => consoleKit.add(m)", item)
    want += said(CHAT["later"])
    wait_for(lambda: stored(daemon, conversation) == want, what=f"{family}: the later messages")

    ids = [message_id for message_id, _role, _text in stored_messages(daemon, conversation)]
    assert len(set(ids)) == len(ids)
    if "ids" in expected:
        said_ids = [
            i["id"] for i in [*CHAT["items"], *CHAT["later"]] if i["kind"] in ("customer", "agent")
        ]
        assert ids == [expected["ids"].format(id=i) for i in said_ids]
    texts = every_stored_text(daemon)
    for private in [*PRIVATE, *expected.get("never_stored", [])]:
        assert not any(private in text for text in texts), private
    assert len(texts) == len(want)  # one conversation, nothing else
    if "switch" in expected:
        switched_to_another_conversation_by_push_state(
            page, daemon, conversation, expected["switch"]
        )


def switched_to_another_conversation_by_push_state(
    page: Page, daemon: DaemonProcess, conversation: str, other: str
) -> None:
    """The console switches chats with history.pushState: focus follows, new messages go there."""
    page.evaluate("(id) => consoleKit.switchTo(id)", other)
    second = f"{conversation}#{other}"
    wait_for(lambda: daemon.request("GET", "/v1/conversations")["focus"] == second, what="focus")
    page.evaluate(
        "(m) => consoleKit.add(m)",
        {"kind": "customer", "id": "b1", "author": "Ben", "at": "11:00", "text": "Hello, Ben here"},
    )
    wait_for(lambda: stored(daemon, second) == [("customer", "Hello, Ben here")], what="Ben's chat")
    # A route change alone, with no DOM change: focus follows; nothing shown is filed there.
    page.evaluate("history.pushState({}, '', '#c3')")
    third = f"{conversation}#c3"
    wait_for(lambda: daemon.request("GET", "/v1/conversations")["focus"] == third, what="focus")
    assert stored(daemon, third) == []


def test_issue_12_hashed_rows_with_the_event_id_first_give_the_role_attribute_not_the_id(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    paired(browser, daemon, pages)
    page = browser.open(f"{pages}/picker/hashed/page.html?order=id-first")
    wait_for(lambda: page.locator("[data-kind=message]").count() == 6, what="the console")
    first = page.evaluate("document.querySelector('[data-kind=message]').getAttributeNames()")
    assert first[:3] == [
        "class",
        "data-event-id",
        "data-kind",
    ]  # the order that fooled the old picker
    panel = set_up_by_clicks(
        browser,
        page,
        [
            {"click": "[data-author=customer][data-kind=message] p"},
            {"click": "[data-author=agent][data-kind=message] p"},
        ],
    )
    assert "3 customer and 3 agent messages found" in panel.locator(".detail").inner_text()
    panel.locator("button.save").click()
    saved = wait_for(
        lambda: browser.storage(["generic"]).get("generic", {}).get(pages), what="saved"
    )
    assert saved["customer"] == '[data-author="customer"]'
    assert saved["agent"] == '[data-author="agent"]'
    assert saved["id_attribute"] == "data-event-id"
    assert "internal_note" in saved["ignore"]
    conversation = "generic:127.0.0.1:/picker/hashed/page.html"
    wait_for(lambda: stored(daemon, conversation) == said(CHAT["items"]), what="every message")
    ids = [message_id for message_id, _role, _text in stored_messages(daemon, conversation)]
    assert all(i.startswith("evt_") for i in ids)


def test_a_page_where_roles_cannot_be_told_apart_is_told_and_never_saved(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    paired(browser, daemon, pages)
    page = browser.open(f"{pages}/picker/table/page.html?anonymous")
    panel = set_up_by_clicks(browser, page, [{"click": "td.said >> nth=0"}], preview=False)
    page.locator("td.said >> nth=1").click()  # zebra stripes differ; nothing else does
    wait_for(lambda: "cannot tell" in panel.locator(".hint").inner_text(), what="told")
    assert "odd/even" in panel.locator(".hint").inner_text()
    assert not panel.locator("button.save").is_visible()
    panel.locator("button.cancel").click()
    assert browser.storage(["generic"]).get("generic", {}) == {}
    assert daemon.request("GET", "/v1/conversations?status=all")["conversations"] == []


def test_a_message_whose_text_is_only_in_its_own_shadow_root_is_read(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    """No `text` selector: the whole message's text, read through its shadow root."""
    config = {
        "origin": pages,
        "list": "ol.thread",
        "message": ":scope > chat-message",
        "customer": "[author=customer]",
        "agent": "[author=agent]",
        "ignore": "[kind]",
        "id_attribute": "mid",
    }
    paired(browser, daemon, pages, generic={pages: config})
    browser.open(f"{pages}/picker/components/page.html")
    conversation = "generic:127.0.0.1:/picker/components/page.html"
    want = said(CHAT["items"])
    wait_for(lambda: len(stored(daemon, conversation)) == len(want), what="read")
    for (role, text), (got_role, got_text) in zip(want, stored(daemon, conversation), strict=True):
        assert got_role == role and text in got_text


def test_the_automatic_exclusions_can_be_undone_and_redone(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    paired(browser, daemon, pages)
    page = browser.open(f"{pages}/picker/aria/page.html")
    clicks = load_json(PICKER / "aria" / "expected.json")["clicks"]
    panel = set_up_by_clicks(browser, page, clicks)
    detail = panel.locator(".detail")
    assert "3 customer and 3 agent messages found" in detail.inner_text()
    assert "marked “internal”" in detail.inner_text()
    panel.locator("button.auto").click()  # undo: the two notes are read too
    wait_for(lambda: "3 customer and 5 agent" in detail.inner_text(), what="notes read")
    panel.locator("button.auto").click()
    wait_for(lambda: "3 customer and 3 agent" in detail.inner_text(), what="redone")
    panel.locator("button.save").click()
    conversation = "generic:127.0.0.1:/picker/aria/page.html"
    wait_for(lambda: stored(daemon, conversation) == said(CHAT["items"]), what="stored")
