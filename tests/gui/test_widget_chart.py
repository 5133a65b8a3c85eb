"""The trend chart: one point per customer message, bands for the seven levels, escaped hover."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from moodline.widget.trend_chart import TrendChart, chart_points

pytestmark = pytest.mark.gui

DETAIL = {
    "conversation_id": "c",
    "messages": [
        {"id": "1", "role": "customer", "text": "hello"},
        {"id": "a", "role": "agent", "text": "hi!"},
        {"id": "2", "role": "customer", "text": "<b>furious</b> now"},
    ],
    "timeline": [
        {
            "message_id": "1",
            "score": 0.0,
            "level": "neutral",
            "window": [{"message_id": "1", "score": 0.0, "contribution": 0.0}],
        },
        {
            "message_id": "2",
            "score": -0.5,
            "level": "negative",
            "window": [
                {"message_id": "1", "score": 0.0, "contribution": 0.0},
                {"message_id": "2", "score": -0.9, "contribution": -0.5},
            ],
        },
        {
            "message_id": "2",
            "score": 0.3,
            "level": "slightly_positive",
            "window": [{"message_id": "2", "score": 1.0, "contribution": 0.3}],
        },
    ],
}


def test_points_one_per_customer_message_with_corrections_applied() -> None:
    points = chart_points(DETAIL)
    assert [p.message_id for p in points] == ["1", "2"]
    assert points[1].score == 0.3 and points[1].own_score == 1.0
    tip = points[1].tip()
    assert "&lt;b&gt;furious&lt;/b&gt;" in tip and "<b>" not in tip


def test_chart_draws_bands_and_points(qtbot: QtBot) -> None:
    import pyqtgraph as pg

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.show_detail(DETAIL)
    bands = [i for i in chart.plot.getPlotItem().items if isinstance(i, pg.LinearRegionItem)]
    assert len(bands) == 7
    xs, ys = chart.line.getData()
    assert list(xs) == [1, 2] and list(ys) == [0.0, 0.3]
    assert len(chart.scatter.points()) == 2
