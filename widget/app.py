"""`moodline widget`: wires the daemon link, the conversation model, the glance window and tray."""

from __future__ import annotations

import signal
import sys
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon

from widget.alert_feed import AlertFeed, describe
from widget.alerts import Alert
from widget.conversations import ConversationListModel
from widget.details import DetailLoader, ExpandedView
from widget.glance import GlanceWindow
from widget.icons import StateIcon, level_icon, state_icon
from widget.link import ConnectionState, DaemonLink
from widget.trend_chart import TrendChart


class Tray:
    """Tray icon showing the worst open conversation's level, with show/hide and quit."""

    def __init__(
        self,
        app: QApplication,
        model: ConversationListModel,
        window: GlanceWindow,
        link: DaemonLink,
    ) -> None:
        self.model, self.window, self.link = model, window, link
        self.icon = QSystemTrayIcon()
        menu = QMenu()
        toggle = QAction("Show/hide widget", menu)
        toggle.triggered.connect(lambda: window.setVisible(not window.isVisible()))
        self.pause = QAction("Pause scoring", menu)
        self.pause.setCheckable(True)
        self.pause.toggled.connect(self._set_paused)
        pairing = QAction("Show pairing code…", menu)
        pairing.triggered.connect(self._show_pairing_code)
        quit_action = QAction("Quit", menu)
        quit_action.triggered.connect(app.quit)
        for action in (toggle, self.pause, pairing, quit_action):
            menu.addAction(action)
        self.menu = menu
        self.icon.setContextMenu(menu)
        model.changed.connect(self.refresh)
        self.refresh()
        self.icon.show()

    def _set_paused(self, paused: bool) -> None:
        self.link.request("POST", "/v1/pause", {"paused": paused})

    def _show_pairing_code(self) -> None:
        try:
            answer = self.link.request("POST", "/v1/pairing-codes", {}).result(timeout=10)
        except Exception as exc:
            QMessageBox.warning(None, "Moodline", f"No pairing code: {exc}")
            return
        QMessageBox.information(
            None,
            "Moodline pairing code",
            f"Type {answer['code']} into the Moodline extension's popup within "
            f"{int(answer['expires_in']) // 60} minutes. It works once.",
        )

    def show_alert(self, alert: Alert) -> None:
        conversation = self.model.find(alert.conversation_id)
        title, body = describe(alert, conversation.label if conversation else "A chat")
        self.icon.showMessage(title, body, level_icon(alert.level), 8000)
        self.window.pulse()

    def refresh(self) -> None:
        self.pause.blockSignals(True)
        self.pause.setChecked(self.window.connection == ConnectionState.PAUSED)
        self.pause.blockSignals(False)
        worst = self.model.worst()
        if self.window.connection != ConnectionState.READY or worst is None:
            self.icon.setIcon(state_icon(StateIcon.STARTING))
            self.icon.setToolTip(f"Moodline: {self.window.connection.value}")
        else:
            self.icon.setIcon(level_icon(worst.level))
            # No chat titles here: some desktops render tray tooltips as markup.
            level = "can't tell" if worst.uncertain else worst.level.value.replace("_", " ")
            self.icon.setToolTip(f"Moodline: worst open chat is {level}")


@dataclass
class WidgetParts:
    model: ConversationListModel
    link: DaemonLink
    expanded: ExpandedView
    window: GlanceWindow


def build_widget(link: DaemonLink) -> WidgetParts:
    """The model, glance window and expanded view, wired to `link` (not started)."""
    model = ConversationListModel()
    expanded = ExpandedView(DetailLoader(link), TrendChart())
    window = GlanceWindow(model, details=expanded)
    window.selectionChanged.connect(lambda cid: expanded.follow(cid or None))
    link.stateChanged.connect(window.set_connection_state)
    link.snapshot.connect(model.load_snapshot)
    for receiver in (model.apply_event, window.on_event, expanded.on_event):
        link.received.connect(receiver)
    return WidgetParts(model, link, expanded, window)


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
    parts = build_widget(DaemonLink(port, token))
    model, link, window = parts.model, parts.link, parts.window
    tray = Tray(app, model, window, link)
    link.stateChanged.connect(lambda _state: tray.refresh())
    alerts = AlertFeed()
    link.stateChanged.connect(alerts.on_state)
    link.received.connect(alerts.on_event)
    alerts.alert.connect(tray.show_alert)
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
