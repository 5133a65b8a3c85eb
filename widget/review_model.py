"""Past conversations as a Qt table model for the review window (sortable, plain text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from moodline.daemon.levels import Level
from moodline.widget.icons import level_pixmap
from moodline.widget.plain_text import plain_tooltip

COLUMNS = ("Last activity", "Chat", "Site", "Lowest", "Last level", "Messages", "Status")
SORT_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _when(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M") if epoch else ""


def _level_name(level: Level) -> str:
    return level.value.replace("_", " ")


@dataclass(frozen=True)
class PastConversation:
    conversation_id: str
    title: str
    site: str
    level: Level
    lowest_level: Level
    message_count: int
    created_at: float
    updated_at: float
    closed_at: float | None

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> PastConversation:
        source = item.get("source") or {}
        return cls(
            conversation_id=str(item["conversation_id"]),
            title=str(source.get("title", "")),
            site=str(source.get("site", "")),
            level=Level(item.get("level", "neutral")),
            lowest_level=Level(item.get("lowest_level", "neutral")),
            message_count=int(item.get("message_count", 0)),
            created_at=float(item.get("created_at", 0.0)),
            updated_at=float(item.get("updated_at", 0.0)),
            closed_at=item.get("closed_at"),
        )

    @property
    def label(self) -> str:
        return self.title or self.conversation_id

    def cell(self, column: int) -> str:
        values = (
            _when(self.updated_at),
            self.label,
            self.site,
            _level_name(self.lowest_level),
            _level_name(self.level),
            str(self.message_count),
            "open" if self.closed_at is None else "closed",
        )
        return values[column]

    def sort_key(self, column: int) -> Any:
        keys = (
            self.updated_at,
            self.label.lower(),
            self.site.lower(),
            self.lowest_level.rank,
            self.level.rank,
            self.message_count,
            self.closed_at is not None,
        )
        return keys[column]

    @property
    def summary(self) -> str:
        return (
            f"{self.label} on {self.site or 'an unknown site'}: lowest "
            f"{_level_name(self.lowest_level)}, last {_level_name(self.level)}, "
            f"{self.message_count} messages, last active {_when(self.updated_at)}"
        )


class ReviewTableModel(QAbstractTableModel):
    """One row per conversation from `GET /v1/conversations?status=all`."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PastConversation] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cell(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.summary)  # titles are scraped text: never markup
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return row.summary if column == 1 else row.cell(column)
        if role == Qt.ItemDataRole.DecorationRole and column in (3, 4):
            return level_pixmap(row.lowest_level if column == 3 else row.level, 16)
        if role == SORT_ROLE:
            return row.sort_key(column)
        if role == ID_ROLE:
            return row.conversation_id
        return None

    def load(self, conversations: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [PastConversation.from_api(item) for item in conversations]
        self.endResetModel()

    def conversations(self) -> list[PastConversation]:
        return list(self._rows)

    def sites(self) -> list[str]:
        return sorted({row.site for row in self._rows if row.site})
