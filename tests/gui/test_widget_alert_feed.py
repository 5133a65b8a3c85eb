"""The alert feed: daemon events in, alerts out; quiet while paused; closed chats forgotten."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from moodline.daemon.alerts import Alert, AlertKind
from moodline.daemon.levels import Level
from moodline.widget.alert_feed import AlertFeed, describe

pytestmark = pytest.mark.gui


def sentiment(level: str, cid: str = "c") -> dict[str, object]:
    return {"type": "sentiment", "conversation_id": cid, "level": level, "score": 0.0}


def test_events_become_alerts_once(qtbot: QtBot) -> None:
    feed = AlertFeed()
    seen: list[Alert] = []
    feed.alert.connect(seen.append)
    feed.on_event(sentiment("neutral"))
    feed.on_event(sentiment("negative"))
    feed.on_event(sentiment("negative"))
    assert [a.kind for a in seen] == [AlertKind.THRESHOLD, AlertKind.FAST_DROP]
    feed.on_event(sentiment("neutral"))
    assert seen[-1].kind == AlertKind.RECOVERY
    title, body = describe(seen[1], "Chat with Ann")
    assert "dropping fast" in title and "neutral" in body and "negative" in body


def test_paused_and_closed(qtbot: QtBot) -> None:
    feed = AlertFeed()
    seen: list[Alert] = []
    feed.alert.connect(seen.append)
    feed.on_state("paused")
    feed.on_event(sentiment("very_negative"))
    assert seen == []
    feed.on_state("ready")
    feed.on_event({"type": "closed", "conversation_id": "c"})
    feed.on_event(sentiment("very_negative"))
    assert seen and seen[0].level == Level.VERY_NEGATIVE
    feed.on_event({"type": "sentiment", "conversation_id": "c", "level": "furious"})
    feed.on_event({"type": "focus", "conversation_id": "c"})
