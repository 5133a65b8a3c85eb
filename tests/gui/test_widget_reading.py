"""A `reading` event shows on its conversation in words and with a ⚠ shape (not colour alone):
in the list's accessible text, the glance window and the "why" panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from moodline.widget.conversations import READING_PROBLEM, ConversationListModel
from moodline.widget.details import DetailLoader, WhyPanel
from moodline.widget.glance import GlanceWindow
from moodline.widget.link import DaemonLink

pytestmark = pytest.mark.gui


def sentiment(cid: str, **extra: object) -> dict[str, object]:
    return {
        "type": "sentiment",
        "conversation_id": cid,
        "level": "neutral",
        "score": 0.0,
        "source": {"site": "support.example.com", "title": f"Chat {cid}"},
        **extra,
    }


def reading(cid: str, count: int) -> dict[str, object]:
    return {
        "type": "reading",
        "conversation_id": cid,
        "site": "support.example.com",
        "problem": "id_reused_with_new_text",
        "count": count,
    }


def test_a_reading_event_marks_its_conversation_in_words(qtbot: QtBot) -> None:
    model = ConversationListModel()
    window = GlanceWindow(model)
    qtbot.addWidget(window)
    window.set_connection_state("ready")
    model.apply_event(sentiment("a"))
    model.apply_event(sentiment("b", level="negative", score=-0.4))
    window.on_event({"type": "focus", "conversation_id": "a"})
    assert window.reading.isHidden()
    model.apply_event(reading("a", 16))
    a = model.find("a")
    assert a is not None and a.reading_problems == 16
    spoken = model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == f"Chat a: neutral, steady. {READING_PROBLEM}"
    assert not window.reading.isHidden()
    assert window.reading.text() == f"⚠ {READING_PROBLEM}"
    assert window.reading.accessibleName() == READING_PROBLEM
    assert "set it up again" in READING_PROBLEM
    model.apply_event(sentiment("a", score=0.05))
    assert model.find("a").reading_problems == 16, "kept across sentiment events"  # type: ignore[union-attr]
    window.on_event({"type": "focus", "conversation_id": "b"})
    assert window.reading.isHidden(), "shown only for the conversation it concerns"
    marks = [w for w in window.findChildren(QLabel) if w.text() == "⚠"]
    assert [m.accessibleName() for m in marks] == [READING_PROBLEM], "the other chat's icon"


def test_a_conversation_known_only_by_its_problem_is_listed(qapp: object) -> None:
    model = ConversationListModel()
    model.apply_event(reading("new", 2))
    row = model.find("new")
    assert row is not None and row.site == "support.example.com" and row.reading_problems == 2
    model.load_snapshot([{**sentiment("new"), "open": True, "reading_problems": 5}])
    assert model.find("new").reading_problems == 5  # type: ignore[union-attr]


def test_the_why_panel_says_how_many_messages_were_refused(qtbot: QtBot) -> None:
    panel = WhyPanel(DetailLoader(DaemonLink(1, lambda: None)))
    qtbot.addWidget(panel)
    panel.conversation_id = "a"
    panel.show_detail({"conversation_id": "a", "window": [], "messages": []})
    assert panel.reading.isHidden()
    panel.show_detail({"conversation_id": "a", "window": [], "messages": [], "reading_problems": 3})
    assert not panel.reading.isHidden()
    assert panel.reading.text() == f"⚠ {READING_PROBLEM} (3 messages refused)"
