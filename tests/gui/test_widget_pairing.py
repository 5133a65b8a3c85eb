"""The tray's pairing code: asked for without blocking the GUI, shown in a non-modal box."""

from __future__ import annotations

import concurrent.futures
import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from moodline.widget.link import DaemonLink
from moodline.widget.pairing import PairingCodeDialog, pairing_message

pytestmark = pytest.mark.gui


class HeldLink(DaemonLink):
    """A link whose requests wait until the test answers them, like a daemon that hangs."""

    def __init__(self) -> None:
        super().__init__(1, lambda: None)
        self.futures: list[concurrent.futures.Future[dict[str, Any]]] = []

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> concurrent.futures.Future[dict[str, Any]]:
        assert (method, path) == ("POST", "/v1/pairing-codes")
        future: concurrent.futures.Future[dict[str, Any]] = concurrent.futures.Future()
        self.futures.append(future)
        return future


def answer_from_another_thread(action: Any) -> None:
    thread = threading.Thread(target=action)
    thread.start()
    thread.join()


def test_the_gui_does_not_wait_for_a_hanging_daemon(qtbot: QtBot) -> None:
    link = HeldLink()
    dialog = PairingCodeDialog(link)
    dialog.request()
    dialog.request()  # an impatient second click
    assert len(link.futures) == 1, "one request at a time"
    assert dialog.box is None, "request() returned without waiting for the answer"
    with qtbot.waitSignal(dialog.shown, timeout=2000) as shown:
        answer_from_another_thread(
            lambda: link.futures[0].set_result({"code": "K7Q-M2P", "expires_in": 120})
        )
    assert shown.args == [
        "Type K7Q-M2P into the Moodline extension's popup within 2 minutes. It works once."
    ]
    assert dialog.box is not None and dialog.box.isVisible() and not dialog.box.isModal()
    dialog.box.close()


def test_a_failure_is_said_and_the_next_click_asks_again(qtbot: QtBot) -> None:
    link = HeldLink()
    dialog = PairingCodeDialog(link)
    dialog.request()
    with qtbot.waitSignal(dialog.shown, timeout=2000) as shown:
        answer_from_another_thread(lambda: link.futures[0].set_exception(TimeoutError()))
    assert shown.args == ["No pairing code: TimeoutError"]
    dialog.request()
    assert len(link.futures) == 2
    assert dialog.box is not None
    dialog.box.close()


def test_without_a_daemon_the_reason_is_shown_at_once(qtbot: QtBot) -> None:
    dialog = PairingCodeDialog(DaemonLink(1, lambda: None))  # never started
    with qtbot.waitSignal(dialog.shown, timeout=2000) as shown:
        dialog.request()
    assert shown.args == ["No pairing code: not linked to the daemon"]
    assert dialog.box is not None
    dialog.box.close()


def test_the_message_counts_minutes_in_words() -> None:
    assert "within 1 minute." in pairing_message({"code": "A", "expires_in": 30})
    assert "within 5 minutes." in pairing_message({"code": "A", "expires_in": 300})
