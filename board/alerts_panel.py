"""The board's alert feed (newest first) and its desktop notifications for the team threshold."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSystemTrayIcon

from moodline.board.payloads import TeamAlert
from moodline.board.state import MAX_ALERTS, Row
from moodline.board.text import alert_text
from moodline.daemon.levels import Level
from moodline.widget.icons import level_icon
from moodline.widget.plain_text import plain_tooltip

MIN_GAP_S = 3.0  # at most one notification this often; what arrives meanwhile is summed up
SHOWN_KEPT = 50
NOTIFICATION_MS = 8000


class AlertsPanel(QListWidget):
    """Every alert received, newest on top; activating one emits its conversation's row."""

    conversationChosen = Signal(object)  # noqa: N815 - Qt naming; Row

    def __init__(self, limit: int = MAX_ALERTS) -> None:
        super().__init__()
        self.limit = limit
        self.setAccessibleName("Team alerts")
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def add(self, alerts: Sequence[TeamAlert]) -> None:
        for alert in alerts:
            title, body = alert_text(alert)
            stamp = time.strftime("%H:%M:%S", time.localtime(alert.at))
            item = QListWidgetItem(level_icon(alert.level), f"{stamp}  {title}")
            item.setToolTip(plain_tooltip(f"{title}\n{body}"))
            item.setData(Qt.ItemDataRole.UserRole, Row(alert.agent, alert.conversation_key))
            self.insertItem(0, item)
        while self.count() > self.limit:
            self.takeItem(self.count() - 1)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.conversationChosen.emit(item.data(Qt.ItemDataRole.UserRole))


class Notifier:
    """Desktop notifications (the tray's balloon) for alerts at or over the team threshold,
    at most one every MIN_GAP_S: a burst becomes one "N chats…" notification."""

    def __init__(self, threshold: Level | None, min_gap_s: float = MIN_GAP_S) -> None:
        self.threshold = threshold
        self.min_gap_s = min_gap_s
        self.icon = QSystemTrayIcon()
        self.icon.setIcon(level_icon(Level.NEUTRAL))
        self.icon.setToolTip("Moodline board")
        self.icon.show()
        self.shown: deque[tuple[str, str]] = deque(maxlen=SHOWN_KEPT)  # title, body: newest last
        self._waiting: list[TeamAlert] = []
        self._last = -float("inf")
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)

    def offer(self, alerts: Sequence[TeamAlert]) -> None:
        self._waiting.extend(a for a in alerts if a.notifies(self.threshold))
        if not self._waiting or self._timer.isActive():
            return
        wait = self._last + self.min_gap_s - time.monotonic()
        if wait > 0:
            self._timer.start(int(wait * 1000) + 1)
        else:
            self._flush()

    def _flush(self) -> None:
        alerts, self._waiting = self._waiting, []
        if not alerts:
            return
        worst = min(alerts, key=lambda a: a.level.rank)
        if len(alerts) == 1:
            title, body = alert_text(worst)
        else:
            title = f"{len(alerts)} chats reached the team's alert level"
            body = "Worst: " + alert_text(worst)[0]
        self._last = time.monotonic()
        self.shown.append((title, body))
        self.icon.showMessage(title, body, level_icon(worst.level), NOTIFICATION_MS)

    def close(self) -> None:
        self._timer.stop()
        self.icon.hide()
