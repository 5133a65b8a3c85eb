"""The "why" rows, and one-click corrections with undo against a real daemon."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from moodline.daemon.levels import Level
from moodline.daemon.scoring.encoders import Encoder
from moodline.widget.details import DetailLoader, ExpandedView
from moodline.widget.link import Backoff, ConnectionState, DaemonLink
from moodline.widget.trend_chart import TrendChart
from moodline.widget.why import why_rows
from tests.conftest import free_port
from tests.support.daemon_process import TOKEN, DaemonProcess

pytestmark = pytest.mark.gui


def test_rows_are_ordered_by_influence_and_truncated() -> None:
    detail = {
        "window": [
            {"message_id": "1", "score": 0.1, "contribution": 0.02, "corrected": False},
            {"message_id": "2", "score": -0.9, "contribution": -0.5, "corrected": False},
        ],
        "messages": [
            {"id": "1", "role": "customer", "text": "ok " * 100, "sentiment": {}},
            {
                "id": "2",
                "role": "customer",
                "text": "awful",
                "sentiment": {"corrected_label": None},
            },
        ],
    }
    rows = why_rows(detail)
    assert [r.message_id for r in rows] == ["2", "1"]
    assert rows[0].level == Level.VERY_NEGATIVE
    assert rows[1].short_text.endswith("…") and len(rows[1].short_text) <= 120


def test_a_message_scored_in_another_language_says_so(qtbot: QtBot) -> None:
    from moodline.widget.details import WhyPanel

    link = DaemonLink(free_port(), lambda: TOKEN)  # never started: the panel is fed directly
    panel = WhyPanel(DetailLoader(link))
    qtbot.addWidget(panel)
    detail = {
        "conversation_id": "es-1",
        "window": [
            {"message_id": "1", "score": -0.7, "contribution": -0.4, "corrected": False},
            {"message_id": "2", "score": 0.2, "contribution": 0.1, "corrected": False},
        ],
        "messages": [
            {
                "id": "1",
                "role": "customer",
                "text": "es una vergüenza, nadie contesta",
                "sentiment": {"language": "es", "path": "multilingual", "corrected_label": None},
            },
            {
                "id": "2",
                "role": "customer",
                "text": "ok thanks",
                "sentiment": {"language": "en", "path": "english", "corrected_label": None},
            },
        ],
    }
    panel.conversation_id = "es-1"  # the conversation the panel follows
    panel.show_detail(detail)
    spanish = panel.findChild(QWidget, "why-1")
    english = panel.findChild(QWidget, "why-2")
    assert spanish is not None and english is not None
    label = spanish.findChild(QLabel, "scored-in")
    assert label is not None and label.text() == "es · multilingual"
    assert english.findChild(QLabel, "scored-in") is None  # English needs no mark


@pytest.mark.e2e
@pytest.mark.slow
def test_correct_and_undo_through_a_real_daemon(
    qtbot: QtBot, tmp_path: Path, fast_encoder: Encoder
) -> None:
    daemon = DaemonProcess(tmp_path, free_port())
    daemon.start()
    link = DaemonLink(daemon.port, lambda: TOKEN, Backoff(initial=0.2, maximum=1.0))
    chart = TrendChart()
    view = ExpandedView(DetailLoader(link), chart)
    panel = view.why
    qtbot.addWidget(view)
    link.received.connect(view.on_event)
    link.start()
    try:
        qtbot.waitUntil(lambda: link.state == ConnectionState.READY, timeout=20000)
        daemon.request(
            "POST",
            "/v1/messages",
            {
                "conversation_id": "c",
                "messages": [
                    {"id": "1", "role": "customer", "text": "hi, a question about my bill"},
                    {"id": "2", "role": "customer", "text": "<b>this is a joke</b>, I'm furious"},
                ],
            },
        )
        view.follow("c")
        qtbot.waitUntil(lambda: len(panel.rows) == 2, timeout=10000)
        qtbot.waitUntil(lambda: len(chart.points) == 2, timeout=10000)
        assert panel.rows[0].message_id == "2", "the angriest message explains most"
        texts = [label.text() for label in panel.findChildren(QLabel)]
        assert any("<b>this is a joke</b>" in t for t in texts), "shown literally"
        quoted = next(x for x in panel.findChildren(QLabel) if "<b>" in x.text())
        assert "&lt;b&gt;this is a joke&lt;/b&gt;" in quoted.toolTip(), "tooltip escaped too"
        assert all(
            label.textFormat() == Qt.TextFormat.PlainText
            for label in panel.findChildren(QLabel)
            if "<b>" in label.text()
        )
        row = panel.findChild(QPushButton, "correct-positive")
        assert row is not None
        before = panel.rows[0].contribution
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
        qtbot.waitUntil(
            lambda: any(
                r.message_id == "2" and r.corrected_label == "positive" for r in panel.rows
            ),
            timeout=10000,
        )
        corrected = next(r for r in panel.rows if r.message_id == "2")
        assert corrected.contribution > before
        undo = panel.findChild(QPushButton, "undo")
        assert undo is not None
        qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
        qtbot.waitUntil(lambda: all(r.corrected_label is None for r in panel.rows), timeout=10000)
        state = daemon.request("GET", "/v1/conversations/c")
        assert state["messages"][1]["sentiment"]["corrected_label"] is None
    finally:
        link.stop()
        daemon.stop()
