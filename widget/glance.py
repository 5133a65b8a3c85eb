"""The glance window: a small frameless always-on-top view of the selected conversation's level,
its trend, the connection state, and a row of small icons for the other open conversations."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QMouseEvent, QMoveEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizeGrip,
    QVBoxLayout,
    QWidget,
)

from moodline.daemon.trend import Trend
from moodline.widget.conversations import (
    READING_PROBLEM,
    ConversationListModel,
    ConversationView,
)
from moodline.widget.icons import StateIcon, level_pixmap, state_pixmap
from moodline.widget.link import ConnectionState
from moodline.widget.plain_text import plain_label, plain_tooltip

BIG, SMALL, MAX_OTHERS = 48, 24, 8
ARROWS = {Trend.RISING: "↑ rising", Trend.FALLING: "↓ falling", Trend.STEADY: "→ steady"}
STATE_TEXT = {
    ConnectionState.DISCONNECTED: (StateIcon.DISCONNECTED, "Daemon not running: retrying"),
    ConnectionState.STARTING: (StateIcon.STARTING, "Daemon starting…"),
    ConnectionState.PAUSED: (StateIcon.PAUSED, "Paused: nothing is read"),
    ConnectionState.NO_TOKEN: (StateIcon.NOT_PAIRED, "No pairing token: start the daemon once"),
}


class GlanceWindow(QWidget):
    """Shows the focused conversation (the agent's browser tab) or else the worst open one;
    `details` (the expanded view) is shown below it when the agent expands the window."""

    selectionChanged = Signal(str)  # noqa: N815 - Qt naming
    placeChanged = Signal()  # noqa: N815 - moved or resized
    expandedChanged = Signal(bool)  # noqa: N815

    def __init__(
        self,
        model: ConversationListModel,
        always_on_top: bool = True,
        details: QWidget | None = None,
    ) -> None:
        super().__init__()
        self.details = details
        self._selected_id: str | None = None
        self.model = model
        self.connection = ConnectionState.DISCONNECTED
        self.focus_id: str | None = None
        flags = Qt.WindowType.FramelessWindowHint | Qt.WindowType.Tool
        if always_on_top:
            flags |= Qt.WindowType.WindowStaysOnTopHint
        self.setWindowFlags(flags)
        self.setWindowTitle("Moodline")
        self._drag_from: QPoint | None = None
        self.pulsing = False
        self._pulse_left = 0
        self._pulse_timer = QTimer(self)
        self._pulse_timer.timeout.connect(self._pulse_step)
        self.icon = QLabel()
        self.icon.setFixedSize(BIG, BIG)
        self.title = plain_label()
        self.detail = plain_label()
        self.reading = plain_label(f"⚠ {READING_PROBLEM}", wrap=True)
        self.reading.setObjectName("reading-problem")
        self.reading.setAccessibleName(READING_PROBLEM)
        self.reading.setVisible(False)
        self.team = plain_label("", wrap=True)
        self.team.setObjectName("team-sharing")
        self.team.setStyleSheet("color: #555; font-size: 11px")
        self.team.setVisible(False)
        self.others = QHBoxLayout()
        self.others.setSpacing(4)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.detail)
        text.addWidget(self.reading)
        text.addWidget(self.team)
        top = QHBoxLayout()
        top.addWidget(self.icon)
        top.addLayout(text)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.addLayout(top)
        column.addLayout(self.others)
        self.expand = QPushButton("Why ▸")
        self.expand.setCheckable(True)
        self.expand.setAccessibleName("show why the level is what it is")
        self.expand.toggled.connect(self.set_expanded)
        self.expand.setVisible(details is not None)
        column.addWidget(self.expand)
        if details is not None:
            column.addWidget(details)
            details.setVisible(False)
        self.grip = QSizeGrip(self)
        self.grip.setAccessibleName("resize the widget")
        column.addWidget(self.grip, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        model.changed.connect(self.refresh)
        self.refresh()

    @Slot(bool)
    def set_expanded(self, expanded: bool) -> None:
        """Show or hide the expanded view; the window keeps its width and place."""
        if self.details is None:
            return
        if self.expand.isChecked() != expanded:
            self.expand.setChecked(expanded)  # comes back here through `toggled`
            return
        width = self.width()
        self.details.setVisible(expanded)
        self.expand.setText("Why ▾" if expanded else "Why ▸")
        self.adjustSize()
        self.resize(max(width, self.width()), self.height())
        self.expandedChanged.emit(expanded)

    @property
    def expanded(self) -> bool:
        return self.details is not None and self.expand.isChecked()

    @property
    def always_on_top(self) -> bool:
        return bool(self.windowFlags() & Qt.WindowType.WindowStaysOnTopHint)

    @Slot(bool)
    def set_always_on_top(self, on_top: bool) -> None:
        """Switch between always-on-top and a normal window without moving it."""
        if on_top == self.always_on_top:
            return
        geometry, visible = self.geometry(), self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on_top)  # hides the window
        self.setGeometry(geometry)
        if visible:
            self.show()

    @Slot(float)
    def set_opacity(self, opacity: float) -> None:
        self.setWindowOpacity(min(1.0, max(0.3, opacity)))

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802 - Qt override
        super().moveEvent(event)
        self.placeChanged.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.placeChanged.emit()

    @Slot()
    def pulse(self, flashes: int = 6, interval_ms: int = 300) -> None:
        """Draw attention without stealing focus: the frame flashes a few times, then stops."""
        self._pulse_left = flashes
        self._pulse_timer.start(interval_ms)
        self._pulse_step()

    def _pulse_step(self) -> None:
        if self._pulse_left <= 0:
            self._pulse_timer.stop()
            self.setStyleSheet("")
            self.pulsing = False
            return
        self.pulsing = True
        on = self._pulse_left % 2 == 0
        self.setStyleSheet("GlanceWindow { border: 3px solid #b35806; }" if on else "")
        self._pulse_left -= 1

    def set_team_notice(self, short: str, full: str) -> None:
        """Say that this agent's levels are shared with the team ("" when they are not)."""
        self.team.setText(f"👥 {short}" if short else "")
        self.team.setToolTip(plain_tooltip(full) if short else "")
        self.team.setAccessibleName(full if short else "")
        self.team.setVisible(bool(short))

    @Slot(str)
    def set_connection_state(self, state: str) -> None:
        self.connection = ConnectionState(state)
        self.refresh()

    @Slot(dict)
    def on_event(self, event: dict[str, object]) -> None:
        if event.get("type") == "focus":
            focus = event.get("conversation_id")
            self.focus_id = focus if isinstance(focus, str) else None
            self.refresh()

    def selected(self) -> ConversationView | None:
        focused = self.model.find(self.focus_id) if self.focus_id else None
        return focused or self.model.worst()

    @Slot()
    def refresh(self) -> None:
        selected = self.selected()
        selected_id = selected.conversation_id if selected else None
        if selected_id != self._selected_id:
            self._selected_id = selected_id
            self.selectionChanged.emit(selected_id or "")
        if self.connection != ConnectionState.READY:
            state_icon, message = STATE_TEXT[self.connection]
            self._show(state_pixmap(state_icon, BIG), message, selected.label if selected else "")
        elif selected is None:
            self._show(state_pixmap(StateIcon.STARTING, BIG), "No open chats", "")
        else:
            level_text = selected.level.value.replace("_", " ")
            if selected.uncertain:
                pixmap, level_text = state_pixmap(StateIcon.CANT_TELL, BIG), "can't tell"
            else:
                pixmap = level_pixmap(selected.level, BIG)
            self._show(pixmap, selected.label, f"{level_text}  {ARROWS[selected.trend]}")
        self.reading.setVisible(bool(selected and selected.reading_problems))
        self._show_others(selected)

    def _show(self, pixmap: object, title: str, detail: str) -> None:
        self.icon.setPixmap(pixmap)  # type: ignore[arg-type]
        self.title.setText(title)
        self.detail.setText(detail)
        summary = ": ".join(part for part in (title, detail) if part)
        self.icon.setAccessibleName(summary)
        self.setAccessibleName(f"Moodline: {summary}")
        self.setToolTip(plain_tooltip(summary))

    def _show_others(self, selected: ConversationView | None) -> None:
        while self.others.count():
            item = self.others.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        others = [c for c in self.model.conversations() if c is not selected][:MAX_OTHERS]
        for conversation in others:
            small = QLabel()
            small.setPixmap(level_pixmap(conversation.level, SMALL))
            small.setAccessibleName(conversation.accessible_text)
            small.setToolTip(plain_tooltip(conversation.accessible_text))
            self.others.addWidget(small)
            if conversation.reading_problems:  # a shape beside the level, not a colour
                mark = QLabel("⚠")
                mark.setAccessibleName(READING_PROBLEM)
                mark.setToolTip(plain_tooltip(READING_PROBLEM))
                self.others.addWidget(mark)
        self.others.addStretch(1)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.globalPosition().toPoint() - self.frameGeometry().topLeft()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._drag_from is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.move(event.globalPosition().toPoint() - self._drag_from)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._drag_from = None
