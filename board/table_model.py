"""The board's rows as a flat Qt table model: each agent, then its open conversations worst first.

One model over the whole team (thousands of rows; the view asks only for the rows it shows).
`refresh` turns a batch's `Change` into the cheapest signal that is still right: `dataChanged` over
the changed rows when nothing moved; when rows only moved, `dataChanged` over all of them and
`moved` (the window puts the selection back on its row: a Qt layout change would make the view
lay out every row again, at every batch); a reset when rows appeared or went."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap

from moodline.board.state import Agent, BoardConversation, Change, Row, TeamState
from moodline.board.text import ARROWS, duration_text, level_text
from moodline.daemon.levels import Level
from moodline.widget.icons import level_pixmap
from moodline.widget.plain_text import plain_tooltip

COLUMNS = ("Agent / chat", "Level", "At level", "Trend", "Recent scores", "Site", "Messages")
NAME, LEVEL, AT_LEVEL, TREND, SCORES, SITE, MESSAGES = range(len(COLUMNS))
SCORES_ROLE = Qt.ItemDataRole.UserRole + 1  # the window scores, for the sparkline
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's identity (`Row`)
OFFLINE_COLOUR = QColor("#9a9a9a")
ICON_SIZE = 16
TICK_MS = 1000  # "at level" is redrawn once a second

Index = QModelIndex | QPersistentModelIndex


class _Icons:
    """The widget's level icons (shape and colour), and greyed copies for offline agents."""

    def __init__(self) -> None:
        self.normal: dict[Level, QPixmap] = {}
        self.grey: dict[Level, QPixmap] = {}

    def get(self, level: Level, offline: bool) -> QPixmap:
        if level not in self.normal:
            pixmap = level_pixmap(level, ICON_SIZE)
            self.normal[level] = pixmap
            self.grey[level] = QIcon(pixmap).pixmap(ICON_SIZE, ICON_SIZE, QIcon.Mode.Disabled)
        return (self.grey if offline else self.normal)[level]


class TeamTableModel(QAbstractTableModel):
    moved = Signal()  # rows changed places (same rows): selections must follow their rows

    def __init__(self, state: TeamState, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.state = state
        self.site: str | None = None
        self._clock = clock
        self._rows: list[Row] = []
        self._where: dict[Row, int] = {}
        self._icons = _Icons()
        self._bold = QFont()
        self._bold.setBold(True)
        self._grey = QBrush(OFFLINE_COLOUR)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._redraw_times)
        self._tick.start()

    # Qt's model interface --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        agent = self.state.agents.get(row.agent)
        if agent is None:
            return None
        if row.key is None:
            return self._agent_data(agent, index.column(), role)
        conversation = agent.conversations.get(row.key)
        if conversation is None:
            return None
        return self._conversation_data(agent, conversation, index.column(), role)

    def _agent_data(self, agent: Agent, column: int, role: int) -> Any:
        shown = self.state.visible(agent, self.site)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return f"{agent.name} (offline)" if agent.offline else agent.name
            if column == LEVEL:
                return "1 open chat" if len(shown) == 1 else f"{len(shown)} open chats"
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and agent.offline:
            return self._grey
        if role == Qt.ItemDataRole.AccessibleTextRole and column == NAME:
            worst = level_text(shown[0].state.level) if shown else "no open chats"
            presence = "offline" if agent.offline else "online"
            return f"{agent.name}, {presence}, {len(shown)} open chats, worst {worst}"
        return None

    def _conversation_data(
        self, agent: Agent, conversation: BoardConversation, column: int, role: int
    ) -> Any:
        state = conversation.state
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return f"    {state.conversation_id}"
            if column == LEVEL:
                return level_text(state.level)
            if column == AT_LEVEL:
                return duration_text(conversation.time_at_level(self._clock()))
            if column == TREND:
                return ARROWS[state.trend]
            if column == SITE:
                return state.site
            if column == MESSAGES:
                return state.customer_messages
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == NAME:
            return self._icons.get(state.level, agent.offline)
        if role == SCORES_ROLE:
            return state.scores
        if role == Qt.ItemDataRole.ForegroundRole and agent.offline:
            return self._grey
        if role == Qt.ItemDataRole.ToolTipRole and column in (NAME, LEVEL):
            lowest = level_text(state.lowest_level)
            return plain_tooltip(
                f"{agent.name}: {state.conversation_id} on {state.site}\n"
                f"{level_text(state.level)} (score {state.score:+.2f}), lowest {lowest}"
            )
        if role == Qt.ItemDataRole.AccessibleTextRole and column == NAME:
            return (
                f"{state.conversation_id}: {level_text(state.level)} for "
                f"{duration_text(conversation.time_at_level(self._clock()))}, {state.trend.value}"
            )
        return None

    # Reading rows ----------------------------------------------------------------------------

    def row_at(self, index: Index) -> Row | None:
        return (
            self._rows[index.row()] if index.isValid() and index.row() < len(self._rows) else None
        )

    def index_of(self, row: Row, column: int = 0) -> QModelIndex:
        where = self._where.get(row)
        return QModelIndex() if where is None else self.index(where, column)

    def sparkline(self, index: Index) -> tuple[tuple[float, ...], bool]:
        """A conversation row's window scores and whether its agent is offline, for the delegate
        (read here rather than through `index.data`: a Python None that round-trips through a
        QVariant loses a reference in PySide6 on Python 3.11, and a delegate asks for every
        visible cell at every repaint)."""
        row = self.row_at(index)
        agent = self.state.agents.get(row.agent) if row else None
        if row is None or agent is None or row.key is None or row.key not in agent.conversations:
            return (), False
        return agent.conversations[row.key].state.scores, agent.offline

    @property
    def rows(self) -> list[Row]:
        return self._rows

    # Following the team ----------------------------------------------------------------------

    def set_site(self, site: str | None) -> None:
        if site != self.site:
            self.site = site
            self._place(self.state.rows(site))

    def refresh(self, change: Change) -> None:
        """Show what one batch changed (see the module's docstring)."""
        if change.reordered:
            self._place(self.state.rows(self.site), change)
        elif change.rows:
            self._changed(change.rows)

    def _place(self, rows: list[Row], change: Change | None = None) -> None:
        previous = self._rows
        if rows == previous:
            if change is not None:
                self._changed(change.rows)
            return
        if len(rows) == len(previous) and self._where.keys() == set(rows):
            pairs = list(zip(rows, previous, strict=True))
            first = next(i for i, (a, b) in enumerate(pairs) if a != b)
            last = len(rows) - next(i for i, (a, b) in enumerate(reversed(pairs)) if a != b)
            self._set_rows(rows)
            self._emit_changed(first, last - 1)
            if change is not None:
                self._changed({row for row in change.rows if not first <= self._where[row] < last})
            self.moved.emit()
            return
        self.beginResetModel()
        self._set_rows(rows)
        self.endResetModel()

    def _set_rows(self, rows: list[Row]) -> None:
        self._rows = rows
        self._where = {row: i for i, row in enumerate(rows)}

    def _changed(self, rows: set[Row]) -> None:
        """A signal per run of neighbouring changed rows: the view repaints only rows it shows."""
        where = sorted(self._where[row] for row in rows if row in self._where)
        start = None
        for position, following in zip(where, [*where[1:], None][: len(where)], strict=True):
            start = position if start is None else start
            if following != position + 1:
                self._emit_changed(start, position)
                start = None

    def _emit_changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _redraw_times(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, AT_LEVEL),
                self.index(len(self._rows) - 1, AT_LEVEL),
                [Qt.ItemDataRole.DisplayRole],
            )
