"""Draws the extension's toolbar icons (extension/icons/icon{16,32,48,128}.png) as vectors."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parents[1] / "extension" / "icons"


def draw(size: int) -> QImage:
    """A dark rounded square with a mood line dipping orange and rising purple."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#202020"))
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
    line = QPainterPath(QPointF(size * 0.12, size * 0.45))
    line.cubicTo(size * 0.3, size * 0.95, size * 0.45, size * 0.9, size * 0.55, size * 0.55)
    line.cubicTo(size * 0.65, size * 0.2, size * 0.8, size * 0.15, size * 0.9, size * 0.3)
    for colour, width in (("#fdb863", 0.16), ("#b2abd2", 0.09)):
        painter.setPen(
            QPen(
                QColor(colour),
                max(1.5, size * width),
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
            )
        )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(line)
    painter.end()
    return image


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 48, 128):
        draw(size).save(str(OUT / f"icon{size}.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
