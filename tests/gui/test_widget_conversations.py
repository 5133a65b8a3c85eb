"""The conversation list model and trends, tested without any view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from moodline.daemon.levels import Level
from moodline.daemon.trend import Trend, trend_of
from moodline.widget.conversations import ConversationListModel

pytestmark = pytest.mark.gui


def event(cid: str, level: str, score: float, **extra: object) -> dict[str, object]:
    return {
        "type": "sentiment",
        "conversation_id": cid,
        "level": level,
        "score": score,
        "uncertain": False,
        "source": {"site": "zendesk", "title": f"Chat {cid}"},
        **extra,
    }


def test_trend() -> None:
    assert trend_of([]) == Trend.STEADY
    assert trend_of([0.0, -0.1, -0.3]) == Trend.FALLING
    assert trend_of([-0.5, -0.2]) == Trend.RISING
    assert trend_of([0.1, 0.12, 0.09, 0.1]) == Trend.STEADY


def test_events_insert_update_and_close(qtmodeltester: object, qapp: object) -> None:
    model = ConversationListModel()
    model.apply_event(event("a", "neutral", 0.0))
    model.apply_event(event("b", "negative", -0.4))
    model.apply_event(event("a", "slightly_positive", 0.2))
    assert model.rowCount() == 2
    a = model.find("a")
    assert a is not None and a.level == Level.SLIGHTLY_POSITIVE and a.trend == Trend.RISING
    worst = model.worst()
    assert worst is not None and worst.conversation_id == "b"
    assert model.data(model.index(1), Qt.ItemDataRole.AccessibleTextRole) == (
        "Chat b: negative, steady"
    )
    model.apply_event({"type": "closed", "conversation_id": "b"})
    assert [c.conversation_id for c in model.conversations()] == ["a"]
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_snapshot_replaces_and_skips_closed(qapp: object) -> None:
    model = ConversationListModel()
    model.apply_event(event("old", "neutral", 0.0))
    model.load_snapshot(
        [
            {**event("x", "very_negative", -0.8), "open": True},
            {**event("y", "neutral", 0.0), "open": False},
        ]
    )
    assert [c.conversation_id for c in model.conversations()] == ["x"]


def test_cant_tell_is_said_for_screen_readers(qapp: object) -> None:
    model = ConversationListModel()
    model.apply_event(event("a", "neutral", 0.0, uncertain=True))
    assert "can't tell" in model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
