"""`moodline widget`: wires the daemon link, the conversation model, the glance window and tray."""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
from dataclasses import dataclass

from PySide6.QtCore import QSettings, QSocketNotifier
from PySide6.QtWidgets import QApplication

from moodline.daemon.locations import Locations
from moodline.daemon.settings import Settings
from moodline.widget.alert_feed import AlertFeed
from moodline.widget.conversations import ConversationListModel
from moodline.widget.details import DetailLoader, ExpandedView
from moodline.widget.glance import GlanceWindow
from moodline.widget.link import DaemonLink
from moodline.widget.placement import PlacementKeeper, WindowPlacement
from moodline.widget.preferences import WidgetPreferences
from moodline.widget.team_notice import sharing_text, short_text
from moodline.widget.tray import Tray
from moodline.widget.trend_chart import TrendChart
from moodline.widget.windows import WidgetWindows


@dataclass
class WidgetParts:
    model: ConversationListModel
    link: DaemonLink
    expanded: ExpandedView
    window: GlanceWindow
    preferences: WidgetPreferences
    alerts: AlertFeed


def build_widget(link: DaemonLink, settings: Settings | None = None) -> WidgetParts:
    """The model, glance window, expanded view and alert feed, wired to `link` (not started) and
    to the widget settings (`settings` at first, then as the daemon announces changes)."""
    model = ConversationListModel()
    preferences = WidgetPreferences(settings)
    expanded = ExpandedView(DetailLoader(link), TrendChart())
    window = GlanceWindow(model, always_on_top=preferences.always_on_top, details=expanded)
    window.set_opacity(preferences.opacity)
    alerts = AlertFeed(preferences.alert_settings)
    window.selectionChanged.connect(lambda cid: expanded.follow(cid or None))
    link.stateChanged.connect(window.set_connection_state)
    link.stateChanged.connect(alerts.on_state)
    link.snapshot.connect(model.load_snapshot)
    for receiver in (
        preferences.on_event,
        model.apply_event,
        window.on_event,
        expanded.on_event,
        alerts.on_event,
    ):
        link.received.connect(receiver)

    def apply_preferences() -> None:
        window.set_always_on_top(preferences.always_on_top)
        window.set_opacity(preferences.opacity)
        alerts.set_settings(preferences.alert_settings)
        window.set_team_notice(short_text(preferences.team), sharing_text(preferences.team))

    preferences.changed.connect(apply_preferences)
    window.set_team_notice(short_text(preferences.team), sharing_text(preferences.team))
    return WidgetParts(model, link, expanded, window, preferences, alerts)


class SignalWaker:
    """Quits the app on SIGINT/SIGTERM without polling: Python's signal handlers run only when
    Python code runs, so the C-level handler's wake-up byte is watched by a socket notifier."""

    def __init__(self, app: QApplication) -> None:
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        signal.set_wakeup_fd(self._write.fileno())
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: app.quit())
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError):
            self._read.recv(64)

    def close(self) -> None:
        signal.set_wakeup_fd(-1)
        self._notifier.setEnabled(False)
        self._read.close()
        self._write.close()


def run(port: int, settings: Settings, locations: Locations) -> int:
    """Run the widget until quit; the daemon may start before or after it."""
    from moodline.daemon.token_store import KeyringUnavailableError, read_token

    def token() -> str | None:
        try:
            return read_token()
        except KeyringUnavailableError:
            return None

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Moodline")
    app.setQuitOnLastWindowClosed(False)  # closing the review or settings window is not quitting
    parts = build_widget(DaemonLink(port, token), settings)
    model, link, window = parts.model, parts.link, parts.window
    state = QSettings(str(locations.widget_state), QSettings.Format.IniFormat)
    keeper = PlacementKeeper(window, WindowPlacement(state))
    keeper.restore()
    windows = WidgetWindows(link, parts.preferences, locations)
    tray = Tray(app, model, window, link, windows.open_settings, windows.open_review)
    link.stateChanged.connect(lambda _state: tray.refresh())
    parts.alerts.alert.connect(tray.show_alert)
    app.aboutToQuit.connect(keeper.save)
    window.show()
    link.start()
    waker = SignalWaker(app)
    try:
        return app.exec()
    finally:
        waker.close()
        link.stop()
