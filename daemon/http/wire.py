"""The one place typed results and events become API v1 JSON (see docs/protocol.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from moodline import __version__
from moodline.daemon import API_VERSION
from moodline.daemon.control import FocusChange, HeadChange, SettingsChange
from moodline.daemon.events import (
    ClosedEvent,
    CorrectedEvent,
    Event,
    FocusEvent,
    PairedEvent,
    ReadingEvent,
    ScoredEvent,
    SettingsEvent,
    StatusEvent,
)
from moodline.daemon.live import Activity
from moodline.daemon.readiness import Readiness
from moodline.daemon.results import (
    Conversation,
    ConversationDetail,
    ConversationState,
    IngestResult,
    ReadingProblem,
    ReadingSummary,
    Refusal,
    ScoredMessage,
    StoredMessage,
    TimelineEntry,
)
from moodline.daemon.scoring.scorer import MessageScore, NotScored
from moodline.daemon.settings import Settings

Json = dict[str, Any]


# Conversations -------------------------------------------------------------------------------


def conversation(c: Conversation) -> Json:
    """A row of GET /v1/conversations."""
    return {
        "conversation_id": c.conversation_id,
        "source": {"site": c.source.site, "url": c.source.url, "title": c.source.title},
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "closed_at": c.closed_at,
        "open": c.open,
        "level": c.level.value,
        "score": round(c.score, 4),
        "uncertain": c.uncertain,
        "lowest_level": c.lowest_level.value,
        "message_count": c.message_count,
        "reading_problems": c.reading_problems,
    }


def state(s: ConversationState) -> Json:
    """The conversation with its newest window state: level, score, uncertain, window."""
    return {**conversation(s.conversation), **s.window.to_dict()}


def conversation_list(conversations: Iterable[Conversation], focus: str | None) -> Json:
    return {"conversations": [conversation(c) for c in conversations], "focus": focus}


def scored(m: ScoredMessage) -> Json:
    """One entry of `scored`: the message's scores, or `not_scored` with the reason."""
    return {"message_id": m.message_id, **m.assessment.to_dict()}


def refusal(r: Refusal) -> Json:
    """One entry of `refused`: a message neither stored nor scored, and why."""
    return {"id": r.message_id, "reason": r.reason}


def ingest(result: IngestResult) -> Json:
    """The answer to POST /v1/messages."""
    return {
        **state(result.state),
        "stored": result.stored,
        "duplicates": result.duplicates,
        "edited": result.edited,
        "refused": [refusal(r) for r in result.refused],
        "scored": [scored(m) for m in result.scored],
    }


def reading(problem: ReadingProblem) -> Json:
    """The `reading` event: how many of a conversation's messages on a site were refused."""
    return {
        "type": "reading",
        "conversation_id": problem.conversation_id,
        "site": problem.site,
        "problem": problem.problem,
        "count": problem.count,
        "first_at": problem.first_at,
        "last_at": problem.last_at,
        "last_message_id": problem.last_message_id,
    }


def reading_summary(items: Iterable[ReadingSummary] | None) -> list[Json] | None:
    """/v1/health's `reading_problems` (None while the history is not open)."""
    if items is None:
        return None
    return [
        {"site": i.site, "problem": i.problem, "count": i.count, "last_at": i.last_at}
        for i in items
    ]


def ingest_paused(conversation_id: str) -> Json:
    """The 202 answer to POST /v1/messages while scoring is paused."""
    return {"conversation_id": conversation_id, "paused": True, "stored": 0}


def timeline_entry(entry: TimelineEntry) -> Json:
    return {"message_id": entry.message_id, "at": entry.at, **entry.state.to_dict()}


def message(m: StoredMessage) -> Json:
    """A stored message; a customer's with its `sentiment` or `not_scored`."""
    result: Json = {
        "id": m.id,
        "role": m.role,
        "text": m.text,
        "ts": m.ts,
        "received_at": m.received_at,
        "edited_at": m.edited_at,
    }
    if isinstance(m.assessment, MessageScore):
        result["sentiment"] = {**m.assessment.to_dict(), "corrected_label": m.corrected_label}
    elif isinstance(m.assessment, NotScored):
        result["not_scored"] = {
            "reason": m.assessment.reason,
            "language": m.assessment.language,
            "corrected_label": m.corrected_label,
        }
    return result


def detail(d: ConversationDetail) -> Json:
    """GET /v1/conversations/{id}: the state, its timeline and every message."""
    return {
        **state(d.state),
        "timeline": [timeline_entry(e) for e in d.timeline],
        "messages": [message(m) for m in d.messages],
    }


# Settings, model, focus ----------------------------------------------------------------------


def settings(s: Settings) -> Json:
    """Every setting, as GET /v1/settings returns them."""
    return s.model_dump()


def settings_change(change: SettingsChange) -> Json:
    return {**settings(change.settings), "restart_required": list(change.restart_required)}


def pause(change: SettingsChange) -> Json:
    return {"paused": change.settings.paused}


def head(change: HeadChange) -> Json:
    return {"head": change.head}


def focus(change: FocusChange) -> Json:
    return {"conversation_id": change.conversation_id}


# Health, pairing, WebSocket ------------------------------------------------------------------


def health(
    readiness: Readiness,
    current: Settings,
    activity: Activity,
    reading_problems: Iterable[ReadingSummary] | None = None,
) -> Json:
    return {
        "ready": readiness.ready,
        "status": readiness.status,
        "detail": readiness.detail,
        "api": API_VERSION,
        "version": __version__,
        "paused": current.paused,
        "encoder": readiness.encoder,
        "head": readiness.head,
        "ready_after_s": readiness.ready_after_s,
        "extension_seen_at": activity.extension_seen_at,
        "reading_problems": reading_summary(reading_problems),
    }


def pairing_code(code: str, expires_in: float) -> Json:
    return {"code": code, "expires_in": expires_in}


def paired(token: str) -> Json:
    return {"token": token, "api": API_VERSION}


def hello(readiness: Readiness, current: Settings, activity: Activity) -> Json:
    """The first frame an authenticated WebSocket receives."""
    return {
        "type": "hello",
        "api": API_VERSION,
        "ready": readiness.ready,
        "paused": current.paused,
        "focus": activity.focus,
    }


def event(e: Event) -> Json:
    """A pushed event as its WebSocket frame."""
    match e:
        case StatusEvent():
            fields = {"ready": e.ready, "paused": e.paused, "head": e.head}
            return {"type": "status", **{k: v for k, v in fields.items() if v is not None}}
        case SettingsEvent():
            return {"type": "settings", "settings": settings(e.settings)}
        case FocusEvent():
            return {"type": "focus", "conversation_id": e.conversation_id}
        case ScoredEvent():
            scored_now = [scored(m) for m in e.result.scored]
            return {"type": "sentiment", **state(e.result.state), "scored": scored_now}
        case CorrectedEvent():
            corrected = {"message_id": e.message_id, "label": e.label}
            return {"type": "sentiment", **state(e.state), "corrected": corrected}
        case ClosedEvent():
            return {"type": "closed", **state(e.state)}
        case ReadingEvent():
            return reading(e.problem)
        case PairedEvent():
            return {"type": "paired", "client": e.client}
