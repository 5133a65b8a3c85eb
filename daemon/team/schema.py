"""The team view's payloads (schema version 1): numbers and level names, never message text.

Built from the typed results only through the fields listed here, so nothing else a result holds
(message text, the page's URL or title, redacted fields) can reach the broker."""

from __future__ import annotations

import json
from collections.abc import Sequence

from moodline.daemon.alerts import Alert
from moodline.daemon.results import ConversationState
from moodline.daemon.trend import trend_of

SCHEMA_VERSION = 1
SPARKLINE_SCORES = 20  # the last window scores sent for a sparkline
ONLINE = b"online"
OFFLINE = b"offline"
CLEARED = b""  # an empty retained payload removes the retained message


def _dumps(payload: dict[str, object]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def conversation_payload(
    state: ConversationState,
    agent: str,
    scores: Sequence[float],
    at: float,
    level_since: float | None = None,
) -> bytes:
    """The retained state of one conversation; `scores` are its recent window scores;
    `level_since` when its level last changed (this daemon's clock; default `at`)."""
    c = state.conversation
    recent = [round(s, 4) for s in list(scores)[-SPARKLINE_SCORES:]]
    return _dumps(
        {
            "v": SCHEMA_VERSION,
            "agent": agent,
            "conversation_id": c.conversation_id,
            "site": c.source.site,
            "level": state.window.level.value,
            "score": round(state.window.score, 4),
            "lowest_level": c.lowest_level.value,
            "trend": trend_of(recent).value,
            "customer_messages": c.customer_message_count,
            "scores": recent,
            "opened_at": c.created_at,
            "updated_at": c.updated_at,
            "open": c.open,
            "level_since": round(at if level_since is None else level_since, 3),
            "published_at": round(at, 3),
        }
    )


def alert_payload(
    alert: Alert, state: ConversationState, agent: str, conversation_key: str, at: float
) -> bytes:
    """A non-retained alert: which conversation of which agent, which rule, the levels."""
    return _dumps(
        {
            "v": SCHEMA_VERSION,
            "agent": agent,
            "conversation_id": state.conversation.conversation_id,
            "conversation_key": conversation_key,
            "site": state.conversation.source.site,
            "kind": alert.kind.value,
            "level": alert.level.value,
            "previous_level": alert.previous_level.value,
            "score": round(state.window.score, 4),
            "at": round(at, 3),
        }
    )
