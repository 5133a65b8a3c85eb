"""The review window: past conversations filtered by dates, site and lowest level, one's timeline
(the expanded view's chart and "why"), and export of the filtered set through the daemon."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moodline.daemon.levels import Level
from moodline.widget.details import ExpandedView
from moodline.widget.plain_text import plain_label
from moodline.widget.review_filter import REACHED_CHOICES, ReviewFilter
from moodline.widget.review_loader import ExportJob, HistoryLoader
from moodline.widget.review_model import ID_ROLE, SORT_ROLE, ReviewTableModel

ANY_SITE = "Any site"
FileChooser = Callable[[QWidget, str], str | None]
FILE_TYPES = {"csv": "CSV files (*.csv)", "jsonl": "JSON lines (*.jsonl)"}


def choose_export_file(parent: QWidget, fmt: str) -> str | None:
    """Ask where to save the export (a native save dialog)."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Export conversations", f"moodline-export.{fmt}", FILE_TYPES[fmt]
    )
    return name or None


class ReviewWindow(QWidget):
    """Filters on top, the matching conversations in a table, the selected one's timeline beside
    it; Export writes the filtered set to a file the agent picks."""

    def __init__(
        self,
        loader: HistoryLoader,
        exporter: ExportJob,
        timeline: ExpandedView,
        choose_file: FileChooser = choose_export_file,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.loader, self.exporter, self.timeline = loader, exporter, timeline
        self.choose_file = choose_file
        self.setWindowTitle("Moodline: review past chats")
        self.model = ReviewTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.last_filter = ReviewFilter()
        self._known_sites: set[str] = set()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.search)
        self._build_filters(today())
        self._build_table()
        self._build_actions()
        self._lay_out()
        loader.loaded.connect(self.show_results)
        loader.failed.connect(lambda text: self.status.setText(f"Cannot load history: {text}"))
        exporter.progress.connect(self._export_progress)
        exporter.finished.connect(self._export_finished)
        exporter.failed.connect(self._export_failed)

    # building ----------------------------------------------------------------------------------

    def _build_filters(self, today: date) -> None:
        self.use_from = QCheckBox("From")
        self.use_to = QCheckBox("To")
        day = QDate(today.year, today.month, today.day)
        self.date_from = QDateEdit(day.addDays(-7))
        self.date_to = QDateEdit(day)
        for check, edit, name in (
            (self.use_from, self.date_from, "first day"),
            (self.use_to, self.date_to, "last day"),
        ):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.setAccessibleName(name)
            check.setAccessibleName(f"filter by {name}")
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._schedule)
            edit.dateChanged.connect(self._schedule)
        self.site = QComboBox()
        self.site.setEditable(True)
        self.site.addItem(ANY_SITE)
        self.site.setAccessibleName("site")
        self.site.currentTextChanged.connect(self._schedule)
        self.reached = QComboBox()
        for level, name in REACHED_CHOICES:
            self.reached.addItem(name, level.value if level else "")
        self.reached.setAccessibleName("lowest level reached")
        self.reached.currentIndexChanged.connect(self._schedule)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("past conversations")
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)

    def _build_actions(self) -> None:
        self.open_button = QPushButton("Open timeline")
        self.open_button.setAccessibleName("open the selected conversation's timeline")
        self.open_button.clicked.connect(self.open_selected)
        self.export_csv = QPushButton("Export CSV…")
        self.export_csv.setAccessibleName("export the listed conversations as CSV")
        self.export_csv.clicked.connect(lambda: self.export("csv"))
        self.export_jsonl = QPushButton("Export JSONL…")
        self.export_jsonl.setAccessibleName("export the listed conversations as JSON lines")
        self.export_jsonl.clicked.connect(lambda: self.export("jsonl"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName("export progress")
        self.progress.setVisible(False)
        self.status = plain_label("", wrap=True)
        self.status.setAccessibleName("review status")
        self.opened = plain_label("Pick a conversation to see its timeline.", wrap=True)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for widget in (
            self.use_from,
            self.date_from,
            self.use_to,
            self.date_to,
            self.site,
            self.reached,
        ):
            filters.addWidget(widget)
        actions = QHBoxLayout()
        for button in (self.open_button, self.export_csv, self.export_jsonl):
            actions.addWidget(button)
        actions.addWidget(self.progress, 1)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.table, 1)
        left_column.addLayout(actions)
        left_column.addWidget(self.status)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.opened)
        right_column.addWidget(self.timeline, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([640, 460])
        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addWidget(splitter, 1)
        self.resize(1100, 560)

    # filtering ---------------------------------------------------------------------------------

    def current_filter(self) -> ReviewFilter:
        site = self.site.currentText().strip()
        reached = self.reached.currentData()
        return ReviewFilter(
            date_from=self.date_from.date().toPython() if self.use_from.isChecked() else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if self.use_to.isChecked() else None,  # type: ignore[arg-type]
            site="" if site == ANY_SITE else site,
            reached=Level(reached) if reached else None,
        )

    def _schedule(self) -> None:
        self._search_timer.start()

    @Slot()
    def search(self) -> None:
        self._search_timer.stop()
        which = self.current_filter()
        problem = which.error()
        if problem:
            self.status.setText(problem)
            return
        self.status.setText(f"Loading {which.describe()}…")
        self.loader.search(which)
        self.last_filter = which

    @Slot(list)
    def show_results(self, conversations: list[dict[str, Any]]) -> None:
        self.model.load(conversations)
        new_sites = set(self.model.sites()) - self._known_sites
        if new_sites:
            self._known_sites |= new_sites
            text = self.site.currentText()
            self.site.blockSignals(True)
            self.site.clear()
            self.site.addItems([ANY_SITE, *sorted(self._known_sites)])
            self.site.setCurrentText(text)
            self.site.blockSignals(False)
        count = len(conversations)
        described = self.last_filter.describe(count)
        if count == 0:
            self.status.setText(f"No {described}.")
        elif count >= self.last_filter.limit:
            self.status.setText(
                f"The newest {count} {described}; narrow the filters to see older ones."
            )
        else:
            self.status.setText(f"{count} {described}.")
        self.export_csv.setEnabled(count > 0)
        self.export_jsonl.setEnabled(count > 0)

    # timeline ----------------------------------------------------------------------------------

    @Slot()
    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._open_index(rows[0])
        else:
            self.opened.setText("Select a conversation in the list first.")

    def _open_index(self, index: QModelIndex) -> None:
        conversation_id = self.proxy.data(index, ID_ROLE)
        if not conversation_id:
            return
        row = next(r for r in self.model.conversations() if r.conversation_id == conversation_id)
        self.opened.setText(row.summary)
        self.timeline.follow(conversation_id)

    # export ------------------------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        if self.exporter.busy:
            self.status.setText("An export is already running.")
            return
        name = self.choose_file(self, fmt)
        if not name:
            return
        destination = Path(name)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(f"Exporting {self.last_filter.describe()} to {destination}…")
        self.exporter.start(self.last_filter, fmt, destination)

    @Slot(int, int)
    def _export_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 100)
            self.progress.setValue(min(100, done * 100 // total))

    @Slot(str, int)
    def _export_finished(self, path: str, rows: int) -> None:
        self.progress.setVisible(False)
        count = f"{rows} messages" if rows >= 0 else "the messages"
        self.status.setText(f"Exported {count} of {self.last_filter.describe()} to {path}.")

    @Slot(str)
    def _export_failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.status.setText(f"Export failed: {message}")
