"""Each console adapter on its saved fixture page, in real Chromium, into a real daemon."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.conftest import FIXTURES, paired
from tests.support.browser import ExtensionBrowser, load_json, wait_for
from tests.support.daemon_process import DaemonProcess

ADAPTERS = sorted(path.parent.name for path in FIXTURES.glob("*/expected.json"))


def stored_messages(daemon: DaemonProcess, conversation_id: str) -> list[tuple[str, str, str]]:
    """(id, role, text) of every message the daemon stored for the conversation, in order."""
    try:
        detail = daemon.request("GET", f"/v1/conversations/{quote(conversation_id, safe='')}")
    except OSError:
        return []
    return [(m["id"], m["role"], m["text"]) for m in detail["messages"]]


def expected_messages(conversation: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(m["id"], m["role"], m["text"]) for m in conversation["messages"]]


def test_every_adapter_has_a_fixture() -> None:
    sources = {p.stem for p in (FIXTURES.parents[1] / "src/content/adapters").glob("*.js")}
    assert sources - {"registry"} == set(ADAPTERS)


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_adapter_reads_its_console_exactly(
    adapter: str, browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    expected = load_json(FIXTURES / adapter / "expected.json")
    extra = {}
    if adapter == "generic":
        config = load_json(FIXTURES / "generic" / "config.json")
        extra = {"generic": {pages: {**config, "origin": pages}}}
    paired(browser, daemon, pages, **extra)
    browser.open(pages + expected["path"])
    for conversation in expected["conversations"]:
        conversation_id = f"{expected['adapter']}:127.0.0.1:{conversation['conversationId']}"
        want = expected_messages(conversation)

        def arrived(cid: str = conversation_id, want: list[tuple[str, str, str]] = want) -> bool:
            return stored_messages(daemon, cid) == want

        wait_for(arrived, what=f"{conversation_id} stored as {want}")
    listed = daemon.request("GET", "/v1/conversations?status=all")["conversations"]
    assert len(listed) == len(expected["conversations"])  # nothing ignored leaked in
    assert all(c["source"]["site"] == expected["adapter"] for c in listed)
