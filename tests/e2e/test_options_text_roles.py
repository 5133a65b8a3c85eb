"""Roles written as text, set in the real options page: refused in words when wrong, and read
from the old table console (extension/tests/fixtures/picker/table/) when right."""

from __future__ import annotations

from tests.e2e.test_adapters import stored_messages
from tests.e2e.test_picker_consoles import CHAT, said
from tests.support.browser import EXTENSION_ID, ExtensionBrowser, wait_for
from tests.support.daemon_process import TOKEN, DaemonProcess


def test_options_page_takes_roles_written_as_text(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    options = browser.open(f"chrome-extension://{EXTENSION_ID}/src/options/options.html")
    form = options.locator("#generic-form")
    form.locator("[name=origin]").fill(pages)
    form.locator("[name=list]").fill("table.chatlog > tbody")
    form.locator("[name=message]").fill(":scope > tr")
    form.locator("[name=text]").fill("td.said")
    form.locator("[name=ignore]").fill(".sys, .private, #typing")
    form.locator("[name=customer_text_selector]").fill("td.who")
    form.locator("[name=customer_text_pattern]").fill("^(Client")
    form.locator("button").click()
    wait_for(lambda: "regular expression" in options.inner_text("#generic-note"), what="refused")
    form.locator("[name=customer_text_pattern]").fill("")
    form.locator("[name=customer_text_contains]").fill("client")
    form.locator("[name=agent_text_selector]").fill("td.who")
    form.locator("[name=agent_text_pattern]").fill("^Support:")
    form.locator("button").click()
    saved = wait_for(
        lambda: browser.storage(["generic"]).get("generic", {}).get(pages), what="saved"
    )
    assert saved["customer_text"] == {"selector": "td.who", "contains": "client"}
    assert saved["agent_text"] == {"selector": "td.who", "pattern": "^Support:"}
    wait_for(lambda: "td.who contains “client”" in options.inner_text("#generic"), what="shown")

    browser.set_storage({"port": daemon.port, "token": TOKEN, "sites": [pages]})
    browser.evaluate("() => globalThis.moodline.syncSites()")
    browser.open(f"{pages}/picker/table/page.html")
    conversation = "generic:127.0.0.1:/picker/table/page.html"

    def stored() -> list[tuple[str, str]]:
        return [(role, text) for _id, role, text in stored_messages(daemon, conversation)]

    wait_for(lambda: stored() == said(CHAT["items"]), what="roles read from the author cells")
