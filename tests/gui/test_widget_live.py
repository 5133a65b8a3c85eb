"""The glance window driven by a real running daemon: real messages in, the icon changes; the
widget starts before the daemon and survives its restart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from moodline.daemon.scoring.encoders import Encoder
from moodline.widget.app import build_widget
from moodline.widget.link import Backoff, ConnectionState, DaemonLink
from moodline.widget.pairing import PairingCodeDialog
from tests.conftest import free_port
from tests.support.daemon_process import TOKEN, DaemonProcess

pytestmark = [pytest.mark.gui, pytest.mark.e2e, pytest.mark.slow]


def post(daemon: DaemonProcess, conversation: str, mid: str, text: str) -> None:
    daemon.request(
        "POST",
        "/v1/messages",
        {
            "conversation_id": conversation,
            "source": {"site": "test", "title": f"Chat {conversation}"},
            "messages": [{"id": mid, "role": "customer", "text": text}],
        },
    )


def test_glance_follows_a_real_daemon(qtbot: QtBot, tmp_path: Path, fast_encoder: Encoder) -> None:
    daemon = DaemonProcess(tmp_path, free_port())
    parts = build_widget(DaemonLink(daemon.port, lambda: TOKEN, Backoff(initial=0.2, maximum=1.0)))
    model, link, window = parts.model, parts.link, parts.window
    qtbot.addWidget(window)
    window.show()
    link.start()
    try:
        qtbot.waitUntil(lambda: window.connection == ConnectionState.DISCONNECTED, timeout=5000)
        assert "not running" in window.title.text()
        daemon.start()
        qtbot.waitUntil(lambda: window.connection == ConnectionState.READY, timeout=20000)
        post(daemon, "a", "1", "this is the third time I'm asking, I'm furious")
        post(daemon, "a", "2", "I'm cancelling everything today, useless")
        qtbot.waitUntil(lambda: "negative" in window.detail.text(), timeout=10000)
        assert window.title.text() == "Chat a"
        assert "negative" in window.icon.accessibleName()
        post(daemon, "b", "1", "thank you so much, you fixed it!")
        qtbot.waitUntil(lambda: window.others.count() >= 2, timeout=10000)
        assert window.title.text() == "Chat a", "the worst open chat stays selected"
        daemon.request("POST", "/v1/focus", {"conversation_id": "b"})
        qtbot.waitUntil(lambda: window.title.text() == "Chat b", timeout=10000)
        link.request("POST", "/v1/pause", {"paused": True}).result(timeout=10)
        qtbot.waitUntil(lambda: window.connection == ConnectionState.PAUSED, timeout=10000)
        assert "Paused" in window.title.text()
        link.request("POST", "/v1/pause", {"paused": False}).result(timeout=10)
        qtbot.waitUntil(lambda: window.connection == ConnectionState.READY, timeout=10000)
        # The tray's "Show pairing code…": a real code, shown without blocking, that pairs.
        pairing = PairingCodeDialog(link)
        with qtbot.waitSignal(pairing.shown, timeout=10000) as shown:
            pairing.request()
        code = re.search(r"Type (\S+) into", shown.args[0])
        assert code is not None, shown.args
        paired = daemon.request("POST", "/v1/pair", {"code": code[1], "client": "test"})
        assert paired["token"]
        assert pairing.box is not None
        pairing.box.close()
        daemon.kill()
        qtbot.waitUntil(lambda: window.connection == ConnectionState.DISCONNECTED, timeout=10000)
        daemon.start()
        qtbot.waitUntil(lambda: window.connection == ConnectionState.READY, timeout=20000)
        assert model.find("a") is not None and model.find("b") is not None
    finally:
        link.stop()
        daemon.stop()
