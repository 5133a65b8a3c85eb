"""The trend chart: the window score after each customer message over the seven level bands;
hover a point for the message (plain text), its own score and its contribution; zoom and pan."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from moodline.daemon.levels import DEFAULT_THRESHOLDS, LEVELS, band_of
from moodline.widget.icons import COLOURS
from moodline.widget.plain_text import plain_tooltip
from moodline.widget.why import TEXT_LIMIT


@dataclass(frozen=True)
class ChartPoint:
    index: int  # 1 = the conversation's first customer message
    score: float  # the window score after it
    message_id: str
    text: str
    own_score: float | None
    contribution: float | None

    def tip(self) -> str:
        text = " ".join(self.text.split())
        if len(text) > TEXT_LIMIT:
            text = text[: TEXT_LIMIT - 1] + "…"
        lines = [f"#{self.index}: {text}", f"window score {self.score:+.2f}"]
        if self.own_score is not None and self.contribution is not None:
            lines.append(f"this message {self.own_score:+.2f}, share {self.contribution:+.2f}")
        return plain_tooltip("\n".join(lines))


def chart_points(detail: dict[str, Any]) -> list[ChartPoint]:
    """One point per customer message; a later correction updates that message's point."""
    texts = {m["id"]: str(m.get("text", "")) for m in detail.get("messages", [])}
    latest: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for state in detail.get("timeline", []):
        if state["message_id"] not in latest:
            order.append(state["message_id"])
        latest[state["message_id"]] = state
    points = []
    for number, message_id in enumerate(order, start=1):
        state = latest[message_id]
        own = next((w for w in state.get("window", []) if w["message_id"] == message_id), None)
        points.append(
            ChartPoint(
                index=number,
                score=float(state["score"]),
                message_id=message_id,
                text=texts.get(message_id, ""),
                own_score=float(own["score"]) if own else None,
                contribution=float(own["contribution"]) if own else None,
            )
        )
    return points


class TrendChart(QWidget):
    """A pyqtgraph plot; `show_detail` redraws it from `GET /v1/conversations/{id}`."""

    def __init__(self, thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS) -> None:
        super().__init__()
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(140)
        self.plot.setLabel("left", "window score")
        self.plot.setLabel("bottom", "customer message")
        self.plot.setYRange(-1, 1, padding=0.02)
        self.plot.getViewBox().setLimits(yMin=-1.05, yMax=1.05, xMin=0)
        for level in LEVELS:
            low, high = band_of(level, thresholds)
            colour = QColor(COLOURS[level])
            colour.setAlpha(60)
            band = pg.LinearRegionItem(
                values=(low, high), orientation="horizontal", movable=False, brush=colour
            )
            band.setZValue(-10)
            self.plot.addItem(band)
        self.line = pg.PlotDataItem(pen=pg.mkPen("#303030", width=2))
        self.scatter = pg.ScatterPlotItem(
            size=9,
            brush=pg.mkBrush("#303030"),
            hoverable=True,
            tip=lambda x, y, data: data.tip() if isinstance(data, ChartPoint) else "",
        )
        self.plot.addItem(self.line)
        self.plot.addItem(self.scatter)
        self.points: list[ChartPoint] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_detail(self, detail: dict[str, Any]) -> None:
        self.points = chart_points(detail)
        xs = [p.index for p in self.points]
        ys = [p.score for p in self.points]
        self.line.setData(xs, ys)
        self.scatter.setData(x=xs, y=ys, data=self.points)
        if xs:
            step = max(1, math.ceil(len(xs) / 10))  # whole message numbers on the axis
            self.plot.getAxis("bottom").setTickSpacing(major=step, minor=step)
            self.plot.setXRange(max(0.5, xs[-1] - 20), xs[-1] + 0.5, padding=0)
