"""Level and connection-state icons drawn as vectors: each level differs in shape and colour.

Negative levels are orange shapes that get heavier and more alarming (square, down-triangle,
octagon); positive levels are purple (diamond, up-triangle, star); neutral is a grey circle.
Orange/purple is a colour-blind-safe diverging pair (ColorBrewer PuOr), and the silhouettes alone
tell the seven apart. "Can't tell" and the connection states are outline-only, so none of them
can be mistaken for a level.
"""

from __future__ import annotations

import math
from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from moodline.daemon.levels import Level

COLOURS: dict[Level, str] = {
    Level.VERY_NEGATIVE: "#b35806",
    Level.NEGATIVE: "#e08214",
    Level.SLIGHTLY_NEGATIVE: "#fdb863",
    Level.NEUTRAL: "#d9d9d9",
    Level.SLIGHTLY_POSITIVE: "#b2abd2",
    Level.POSITIVE: "#8073ac",
    Level.VERY_POSITIVE: "#542788",
}
LABELS: dict[Level, str] = {level: level.value.replace("_", " ") for level in Level}
OUTLINE = "#202020"


class StateIcon(StrEnum):
    """Icons that are not a sentiment level."""

    CANT_TELL = "can't tell"
    DISCONNECTED = "disconnected"
    STARTING = "daemon starting"
    PAUSED = "paused"
    NOT_PAIRED = "not paired"


def _regular_polygon(cx: float, cy: float, r: float, sides: int, rotation: float) -> QPolygonF:
    return QPolygonF(
        [
            QPointF(
                cx + r * math.cos(rotation + 2 * math.pi * i / sides),
                cy + r * math.sin(rotation + 2 * math.pi * i / sides),
            )
            for i in range(sides)
        ]
    )


def _star(cx: float, cy: float, outer: float, inner: float) -> QPolygonF:
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + math.pi * i / 5
        points.append(QPointF(cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return QPolygonF(points)


def level_path(level: Level, size: float) -> QPainterPath:
    """The silhouette of a level inside a `size` square."""
    c, r = size / 2, size * 0.46
    path = QPainterPath()
    if level == Level.NEUTRAL:
        path.addEllipse(QPointF(c, c), r * 0.92, r * 0.92)
    elif level == Level.SLIGHTLY_NEGATIVE:
        side = r * 1.55
        path.addRect(QRectF(c - side / 2, c - side / 2, side, side))
    elif level == Level.NEGATIVE:
        path.addPolygon(_regular_polygon(c, c + r * 0.15, r * 1.05, 3, math.pi / 2))
    elif level == Level.VERY_NEGATIVE:
        path.addPolygon(_regular_polygon(c, c, r, 8, math.pi / 8))
    elif level == Level.SLIGHTLY_POSITIVE:
        path.addPolygon(_regular_polygon(c, c, r, 4, 0.0))
    elif level == Level.POSITIVE:
        path.addPolygon(_regular_polygon(c, c - r * 0.15, r * 1.05, 3, -math.pi / 2))
    else:
        path.addPolygon(_star(c, c, r * 1.05, r * 0.45))
    path.closeSubpath()
    return path


def _painter(pixmap: QPixmap) -> QPainter:
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return painter


def level_pixmap(level: Level, size: int = 24) -> QPixmap:
    pixmap = QPixmap(size, size)
    painter = _painter(pixmap)
    painter.setPen(QPen(QColor(OUTLINE), max(1.0, size / 16)))
    painter.setBrush(QBrush(QColor(COLOURS[level])))
    painter.drawPath(level_path(level, size))
    painter.end()
    return pixmap


def state_pixmap(state: StateIcon, size: int = 24) -> QPixmap:
    """Outline-only glyphs: dashed '?' circle, slashed circle, dots, pause bars, broken link."""
    pixmap = QPixmap(size, size)
    painter = _painter(pixmap)
    pen = QPen(QColor("#606060"), max(1.5, size / 12))
    c, r = size / 2, size * 0.4
    if state == StateIcon.CANT_TELL:
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawEllipse(QPointF(c, c), r, r)
        painter.setPen(QPen(QColor("#404040")))
        font = painter.font()
        font.setPixelSize(max(8, int(size * 0.55)))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "?")
    elif state == StateIcon.DISCONNECTED:
        painter.setPen(pen)
        painter.drawEllipse(QPointF(c, c), r, r)
        painter.drawLine(QPointF(c - r * 0.7, c + r * 0.7), QPointF(c + r * 0.7, c - r * 0.7))
    elif state == StateIcon.STARTING:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#606060"))
        for dx in (-r * 0.7, 0.0, r * 0.7):
            painter.drawEllipse(QPointF(c + dx, c), size / 12, size / 12)
    elif state == StateIcon.PAUSED:
        painter.setPen(pen)
        painter.drawLine(QPointF(c - r * 0.35, c - r * 0.7), QPointF(c - r * 0.35, c + r * 0.7))
        painter.drawLine(QPointF(c + r * 0.35, c - r * 0.7), QPointF(c + r * 0.35, c + r * 0.7))
    else:  # NOT_PAIRED: two open chain links apart
        painter.setPen(pen)
        painter.drawArc(QRectF(c - r, c - r * 0.45, r * 0.9, r * 0.9), 60 * 16, 240 * 16)
        painter.drawArc(QRectF(c + r * 0.1, c - r * 0.45, r * 0.9, r * 0.9), -120 * 16, 240 * 16)
    painter.end()
    return pixmap


def level_icon(level: Level) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64):
        icon.addPixmap(level_pixmap(level, size))
    return icon


def state_icon(state: StateIcon) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64):
        icon.addPixmap(state_pixmap(state, size))
    return icon
