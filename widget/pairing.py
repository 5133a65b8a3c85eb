"""Asks the daemon for a one-time pairing code without blocking the GUI thread."""

from __future__ import annotations

import concurrent.futures
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from moodline.widget.link import DaemonLink


def pairing_message(answer: dict[str, Any]) -> str:
    """What the agent is told to do with a code the daemon issued."""
    minutes = max(1, int(answer["expires_in"]) // 60)
    return (
        f"Type {answer['code']} into the Moodline extension's popup within "
        f"{minutes} minute{'s' if minutes != 1 else ''}. It works once."
    )


class PairingCodeDialog(QObject):
    """`request()` asks the daemon for a code and, when it answers, shows it in a non-modal box
    (or says why there is none). The GUI thread never waits: a daemon that hangs leaves the menu
    usable, and the link's own 10 s timeout turns the hang into a message."""

    shown = Signal(str)  # the text of the box that was opened
    _answered = Signal(object)  # the finished future, handed over to the GUI thread

    def __init__(self, link: DaemonLink, window: QWidget | None = None) -> None:
        super().__init__()
        self.link, self.window = link, window
        self.box: QMessageBox | None = None
        self.pending = False
        self._answered.connect(self._show)

    def request(self) -> None:
        if self.pending:  # a second click while the first is on its way adds nothing
            return
        self.pending = True
        future = self.link.request("POST", "/v1/pairing-codes", {})
        future.add_done_callback(self._answered.emit)

    def _show(self, future: concurrent.futures.Future[dict[str, Any]]) -> None:
        self.pending = False
        try:
            text, title, icon = (
                pairing_message(future.result()),
                "Moodline pairing code",
                QMessageBox.Icon.Information,
            )
        except Exception as exc:
            reason = str(exc) or type(exc).__name__
            text, title, icon = f"No pairing code: {reason}", "Moodline", QMessageBox.Icon.Warning
        if self.box is not None:
            self.box.close()
        self.box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        self.box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box.setModal(False)
        self.box.show()
        self.shown.emit(text)
