"""Hands the subscriber's updates to the GUI thread in coalesced batches (one every ~100 ms).

`push` is called on the MQTT thread; the first update after a quiet spell wakes the GUI thread
(one queued signal), which waits `interval_ms` for more and then emits them all as one `batch`, so
200 updates a second cost a few model refreshes, and an idle board costs nothing."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from moodline.board.payloads import Update
from moodline.board.subscriber import LinkState

INTERVAL_MS = 100


class UpdateFeed(QObject):
    batch = Signal(list)  # list[Update], in the order received
    linkChanged = Signal(str, str)  # noqa: N815 - Qt naming; LinkState value, detail
    _wake = Signal()

    def __init__(self, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._pending: list[Update] = []
        self._scheduled = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self._wake.connect(self._timer.start)

    def push(self, update: Update) -> None:
        """From any thread."""
        with self._lock:
            self._pending.append(update)
            wake, self._scheduled = not self._scheduled, True
        if wake:
            self._wake.emit()

    def push_state(self, state: LinkState, detail: str) -> None:
        """From any thread."""
        self.linkChanged.emit(state.value, detail)

    @Slot()
    def flush(self) -> None:
        with self._lock:
            updates, self._pending, self._scheduled = self._pending, [], False
        if updates:
            self.batch.emit(updates)
