"""`moodline widget`: wires the daemon link, the conversation model, the glance window and tray."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from widget.conversations import ConversationListModel
from widget.glance import GlanceWindow
from widget.icons import StateIcon, level_icon, state_icon
from widget.link import ConnectionState, DaemonLink


class Tray:
    """Tray icon showing the worst open conversation's level, with show/hide and quit."""

    def __init__(self, app: QApplication, model: ConversationListModel, window: GlanceWindow):
        self.model, self.window = model, window
        self.icon = QSystemTrayIcon()
        menu = QMenu()
        toggle = QAction("Show/hide widget", menu)
        toggle.triggered.connect(lambda: window.setVisible(not window.isVisible()))
        quit_action = QAction("Quit", menu)
        quit_action.triggered.connect(app.quit)
        menu.addAction(toggle)
        menu.addAction(quit_action)
        self.menu = menu
        self.icon.setContextMenu(menu)
        model.changed.connect(self.refresh)
        self.refresh()
        self.icon.show()

    def refresh(self) -> None:
        worst = self.model.worst()
        if self.window.connection != ConnectionState.READY or worst is None:
            self.icon.setIcon(state_icon(StateIcon.STARTING))
            self.icon.setToolTip(f"Moodline: {self.window.title.text()}")
        else:
            self.icon.setIcon(level_icon(worst.level))
            self.icon.setToolTip(f"Moodline, worst open chat: {worst.accessible_text}")


def run(port: int) -> int:
    """Run the widget until quit; the daemon may start before or after it."""
    from daemon.token_store import KeyringUnavailableError, read_token

    def token() -> str | None:
        try:
            return read_token()
        except KeyringUnavailableError:
            return None

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Moodline")
    model = ConversationListModel()
    window = GlanceWindow(model)
    link = DaemonLink(port, token)
    link.stateChanged.connect(window.set_connection_state)
    link.snapshot.connect(model.load_snapshot)
    link.received.connect(model.apply_event)
    link.received.connect(window.on_event)
    tray = Tray(app, model, window)
    link.stateChanged.connect(lambda _state: tray.refresh())
    window.show()
    link.start()
    # Quit cleanly on SIGTERM/Ctrl-C: Python only runs signal handlers when it gets control, so a
    # timer hands it control a few times a second while Qt's loop runs.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.quit())
    heartbeat = QTimer()
    heartbeat.start(250)
    heartbeat.timeout.connect(lambda: None)
    try:
        return app.exec()
    finally:
        link.stop()
