"""The supervisor's window: the team's agents and open chats worst first, a chat's timeline, the
alert feed, a site filter and the link's state. Updates arrive in batches (`apply`)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from moodline.board.alerts_panel import AlertsPanel, Notifier
from moodline.board.payloads import Update
from moodline.board.sparkline import SparklineDelegate
from moodline.board.state import Change, Row, TeamState
from moodline.board.subscriber import LinkState
from moodline.board.table_model import (
    AT_LEVEL,
    LEVEL,
    MESSAGES,
    NAME,
    SCORES,
    SITE,
    TREND,
    TeamTableModel,
)
from moodline.board.timeline import ConversationTimeline
from moodline.daemon.levels import Level
from moodline.widget.plain_text import plain_label

ALL_SITES = "All sites"
CLOSED = "This chat was closed."


def counts_text(online: int, chats: int) -> str:
    agents = "1 agent" if online == 1 else f"{online} agents"
    return f"{agents} online · {'1 open chat' if chats == 1 else f'{chats} open chats'}"


class BoardWindow(QMainWindow):
    batchApplied = Signal(object, float)  # noqa: N815 - Qt naming; the Change, when (epoch s)

    def __init__(self, state: TeamState, threshold: Level | None, team: str = "") -> None:
        super().__init__()
        self.state = state
        self.setWindowTitle(f"Moodline board: {team}" if team else "Moodline board")
        self.model = TeamTableModel(state)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("Agents and their open chats, worst first")
        self.sparkline = SparklineDelegate(self.tree)
        self.tree.setItemDelegateForColumn(SCORES, self.sparkline)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        for column in (LEVEL, AT_LEVEL, TREND, SITE, MESSAGES):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(SCORES, 100)
        self.site_filter = QComboBox()
        self.site_filter.setAccessibleName("Filter by site")
        self.site_filter.addItem(ALL_SITES)
        self.link_label = plain_label("Not connected")
        self.counts = plain_label("")
        self.timeline = ConversationTimeline()
        self.alerts = AlertsPanel()
        self.notifier = Notifier(threshold)
        self.selected: Row | None = None
        self._restoring = False
        self._layout()
        self.site_filter.currentIndexChanged.connect(self._site_chosen)
        selection = self.tree.selectionModel()
        selection.currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._restore_current)
        self.model.moved.connect(self._restore_current)
        self.alerts.conversationChosen.connect(self.select)
        self.resize(1100, 700)

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.link_label)
        bar.addStretch(1)
        bar.addWidget(self.counts)
        bar.addWidget(plain_label("Site:"))
        bar.addWidget(self.site_filter)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.timeline)
        alerts = QWidget()
        alerts_layout = QVBoxLayout(alerts)
        alerts_layout.setContentsMargins(0, 0, 0, 0)
        alerts_layout.addWidget(plain_label("Alerts"))
        alerts_layout.addWidget(self.alerts)
        side.addWidget(alerts)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([720, 380])  # the table first: every column readable at the default size
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

    # Updates ---------------------------------------------------------------------------------

    @Slot(list)
    def apply(self, updates: Sequence[Update]) -> None:
        """One batch of the subscriber's updates: model, view, sites, timeline, alerts."""
        change = self.state.apply(updates)
        if change.reordered:
            self._refresh_sites()
        self.model.refresh(change)
        if change.alerts:
            self.alerts.add(change.alerts)
            self.notifier.offer(change.alerts)
        self._follow_selected(change)
        self.counts.setText(counts_text(self.state.online_count, self.state.conversation_count))
        self.batchApplied.emit(change, time.time())

    @Slot(str, str)
    def set_link_state(self, state: str, detail: str) -> None:
        if state == LinkState.CONNECTED:
            self.link_label.setText(f"Connected to {detail}")
        elif state == LinkState.CONNECTING:
            self.link_label.setText(f"Connecting to {detail}…")
        else:
            self.link_label.setText(f"Disconnected ({detail}); retrying")

    def _refresh_sites(self) -> None:
        sites = self.state.sites()
        if self.model.site is not None and self.model.site not in sites:
            sites = sorted([*sites, self.model.site])
        listed = [self.site_filter.itemText(i) for i in range(1, self.site_filter.count())]
        if listed == sites:
            return
        self.site_filter.blockSignals(True)
        self.site_filter.clear()
        self.site_filter.addItem(ALL_SITES)
        self.site_filter.addItems(sites)
        if self.model.site is not None:
            self.site_filter.setCurrentIndex(sites.index(self.model.site) + 1)
        self.site_filter.blockSignals(False)

    def _site_chosen(self, number: int) -> None:
        self.model.set_site(None if number <= 0 else self.site_filter.itemText(number))

    # The chosen chat and its timeline -------------------------------------------------------

    @Slot(object)
    def select(self, row: Row) -> None:
        """Show `row`'s chat (from the alert feed) when it is on the board."""
        index = self.model.index_of(row)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _current_changed(
        self, current: QModelIndex | QPersistentModelIndex, _previous: object
    ) -> None:
        if self._restoring:
            return
        row = self.model.row_at(current)
        conversation = self.state.conversation(row) if row else None
        if row is None or conversation is None:
            self.selected = None
            self.timeline.clear()
            return
        self.selected = row
        self.timeline.show_conversation(conversation)

    def _follow_selected(self, change: Change) -> None:
        if self.selected is None:
            return
        conversation = self.state.conversation(self.selected)
        if conversation is None:
            self.selected = None
            self.timeline.clear(CLOSED)
        elif self.selected in change.rows:
            self.timeline.show_conversation(conversation)

    def _restore_current(self) -> None:
        if self.selected is None:
            return
        index = self.model.index_of(self.selected)
        if not index.isValid() or index == self.tree.currentIndex():
            return
        self._restoring = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._restoring = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.notifier.close()
        super().closeEvent(event)
