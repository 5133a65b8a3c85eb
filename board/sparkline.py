"""Draws a conversation's recent window scores as a small line in its table cell."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from moodline.board.table_model import OFFLINE_COLOUR, TeamTableModel

LINE = QColor("#303030")
ZERO = QColor("#c8c8c8")


class SparklineDelegate(QStyledItemDelegate):
    """Scores in [-1, 1] from left (oldest) to right (newest), with the neutral line."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        model = index.model()
        if not isinstance(model, TeamTableModel):
            return
        scores, offline = model.sparkline(index)
        if not scores:
            return
        rect = option.rect.adjusted(4, 3, -4, -3)
        if rect.width() < 4 or rect.height() < 4:
            return
        middle = rect.top() + rect.height() / 2

        def y(score: float) -> float:
            return middle - score * rect.height() / 2

        step = rect.width() / max(1, len(scores) - 1)
        points = [QPointF(rect.left() + i * step, y(s)) for i, s in enumerate(scores)]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ZERO, 1))
        painter.drawLine(QPointF(rect.left(), middle), QPointF(rect.right(), middle))
        painter.setPen(QPen(OFFLINE_COLOUR if offline else LINE, 1.5))
        if len(scores) == 1:
            painter.drawPoint(points[0])
        else:
            painter.drawPolyline(QPolygonF(points))
        painter.setBrush(OFFLINE_COLOUR if offline else LINE)
        painter.drawEllipse(points[-1], 2.0, 2.0)
        painter.restore()

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(90, 18)
