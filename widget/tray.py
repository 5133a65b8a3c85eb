"""The tray icon (the worst open conversation's level) and its menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from moodline.daemon.alerts import Alert
from moodline.widget.alert_feed import describe
from moodline.widget.conversations import ConversationListModel
from moodline.widget.glance import GlanceWindow
from moodline.widget.icons import StateIcon, level_icon, state_icon
from moodline.widget.link import ConnectionState, DaemonLink
from moodline.widget.pairing import PairingCodeDialog


class Tray:
    """Tray icon showing the worst open conversation's level; menu: show/hide, pause, pairing
    code, settings, review, quit."""

    def __init__(
        self,
        app: QApplication,
        model: ConversationListModel,
        window: GlanceWindow,
        link: DaemonLink,
        open_settings: Callable[[], object] | None = None,
        open_review: Callable[[], object] | None = None,
    ) -> None:
        self.model, self.window, self.link = model, window, link
        self.icon = QSystemTrayIcon()
        menu = QMenu()
        toggle = QAction("Show/hide widget", menu)
        toggle.triggered.connect(lambda: window.setVisible(not window.isVisible()))
        self.pause = QAction("Pause scoring", menu)
        self.pause.setCheckable(True)
        self.pause.toggled.connect(self._set_paused)
        self.pairing_code = PairingCodeDialog(link)
        pairing = QAction("Show pairing code…", menu)
        pairing.triggered.connect(self.pairing_code.request)
        self.settings = QAction("Settings…", menu)
        self.settings.setEnabled(open_settings is not None)
        if open_settings is not None:
            self.settings.triggered.connect(lambda: open_settings())
        self.review = QAction("Review…", menu)
        self.review.setEnabled(open_review is not None)
        if open_review is not None:
            self.review.triggered.connect(lambda: open_review())
        quit_action = QAction("Quit", menu)
        quit_action.triggered.connect(app.quit)
        for action in (toggle, self.pause, pairing, self.settings, self.review, quit_action):
            menu.addAction(action)
        self.menu = menu
        self.icon.setContextMenu(menu)
        model.changed.connect(self.refresh)
        self.refresh()
        self.icon.show()

    def _set_paused(self, paused: bool) -> None:
        self.link.request("POST", "/v1/pause", {"paused": paused})

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
