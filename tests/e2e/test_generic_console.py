"""The generic (selector-driven) adapter on an in-house console, in real Chromium, to a real daemon."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import FIXTURES, paired
from tests.support.browser import ExtensionBrowser, load_json, wait_for
from tests.support.daemon_process import DaemonProcess


def stored(daemon: DaemonProcess, conversation_id: str) -> list[dict[str, Any]]:
    try:
        detail = daemon.request("GET", f"/v1/conversations/{conversation_id}")
    except OSError:
        return []
    return list(detail["messages"])


def test_generic_console_messages_reach_the_daemon_with_roles(
    browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    config = load_json(FIXTURES / "generic" / "config.json")
    expected = load_json(FIXTURES / "generic" / "expected.json")
    paired(browser, daemon, pages, generic={pages: {**config, "origin": pages}})
    page = browser.open(f"{pages}/generic/console.html")
    host = "127.0.0.1"
    conversation = f"generic:{host}:{expected['conversationId']}"
    messages = wait_for(
        lambda: (m := stored(daemon, conversation)) and len(m) == 3 and m,
        what="the three chat messages in the daemon",
    )
    assert [(m["id"], m["role"], m["text"]) for m in messages] == [
        (m["id"], m["role"], m["text"]) for m in expected["messages"]
    ]
    page.evaluate(
        "consoleKit.add({id: 'r5', role: 'customer', text: 'Thanks, that fixed it!'})"
    )
    wait_for(lambda: len(stored(daemon, conversation)) == 4, what="the new message")
