"""The open conversations as a Qt list model, kept from the daemon's snapshots and live events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from moodline.daemon.levels import Level
from moodline.daemon.trend import Trend, trend_of

# Said when the daemon refused messages of a conversation because reading the site looks broken.
READING_PROBLEM = (
    "Moodline could not read some messages on this site: set it up again in the extension's popup"
)


@dataclass(frozen=True)
class ConversationView:
    conversation_id: str
    title: str = ""
    site: str = ""
    level: Level = Level.NEUTRAL
    score: float = 0.0
    uncertain: bool = False
    scores: tuple[float, ...] = field(default_factory=tuple)
    reading_problems: int = 0  # messages the daemon refused (reading the site looks broken)

    @property
    def trend(self) -> Trend:
        return trend_of(self.scores)

    @property
    def label(self) -> str:
        return self.title or self.site or self.conversation_id

    @property
    def accessible_text(self) -> str:
        state = "can't tell" if self.uncertain else self.level.value.replace("_", " ")
        text = f"{self.label}: {state}, {self.trend.value}"
        return f"{text}. {READING_PROBLEM}" if self.reading_problems else text


class ConversationListModel(QAbstractListModel):
    """One row per open conversation, in the order they first appeared."""

    changed = Signal()  # any row added, removed, updated or reset

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ConversationView] = []
        for signal in (self.dataChanged, self.rowsInserted, self.rowsRemoved, self.modelReset):
            signal.connect(self.changed)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.accessible_text
        return None

    def conversations(self) -> list[ConversationView]:
        return list(self._rows)

    def find(self, conversation_id: str) -> ConversationView | None:
        return next((r for r in self._rows if r.conversation_id == conversation_id), None)

    def worst(self) -> ConversationView | None:
        """The open conversation in the worst state (lowest level, then lowest score)."""
        if not self._rows:
            return None
        return min(self._rows, key=lambda r: (r.level.rank, r.score))

    def load_snapshot(self, conversations: Sequence[dict[str, Any]]) -> None:
        """Replace everything with `GET /v1/conversations` (open ones)."""
        self.beginResetModel()
        self._rows = [_from_state(c, None) for c in conversations if c.get("open", True)]
        self.endResetModel()

    def apply_event(self, event: dict[str, Any]) -> None:
        """Apply a daemon event (`sentiment`, `reading` or `closed`; others are ignored)."""
        kind = event.get("type")
        conversation_id = event.get("conversation_id")
        if not isinstance(conversation_id, str):
            return
        index = next(
            (i for i, r in enumerate(self._rows) if r.conversation_id == conversation_id), None
        )
        if kind == "closed":
            if index is not None:
                self.beginRemoveRows(QModelIndex(), index, index)
                del self._rows[index]
                self.endRemoveRows()
            return
        if kind == "reading":
            self._note_reading(index, conversation_id, event)
            return
        if kind != "sentiment":
            return
        if index is None:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(_from_state(event, None))
            self.endInsertRows()
        else:
            self._rows[index] = _from_state(event, self._rows[index])
            changed = self.index(index)
            self.dataChanged.emit(changed, changed)

    def _note_reading(self, index: int | None, conversation_id: str, event: dict[str, Any]) -> None:
        """A `reading` event: the conversation's refused messages (a new row if it had none:
        it is open, and still at its starting level)."""
        count = int(event.get("count", 1))
        if index is None:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            site = str(event.get("site", ""))
            self._rows.append(ConversationView(conversation_id, site=site, reading_problems=count))
            self.endInsertRows()
            return
        self._rows[index] = replace(self._rows[index], reading_problems=count)
        changed = self.index(index)
        self.dataChanged.emit(changed, changed)


def _from_state(state: dict[str, Any], previous: ConversationView | None) -> ConversationView:
    source = state.get("source") or {}
    score = float(state.get("score", 0.0))
    scores = previous.scores if previous else ()
    view = ConversationView(
        conversation_id=str(state["conversation_id"]),
        title=str(source.get("title", "")),
        site=str(source.get("site", "")),
        level=Level(state.get("level", Level.NEUTRAL.value)),
        score=score,
        uncertain=bool(state.get("uncertain", False)),
        scores=(*scores, score)[-10:],
        reading_problems=int(
            state.get("reading_problems", previous.reading_problems if previous else 0)
        ),
    )
    if previous and not view.title:
        view = replace(view, title=previous.title, site=previous.site)
    return view
