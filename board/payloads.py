"""Reads the team view's MQTT messages (schema v1) into typed updates; anything else is dropped.

Topics and payloads: docs/protocol.md, "Team view over MQTT (v1)". A message whose topic or payload
is not what v1 says (unknown version, malformed JSON, a wrong type, a conversation published under
another agent's topic) becomes None with a debug log naming the topic and the reason, never its
payload."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any, TypeVar

from moodline.daemon.alerts import AlertKind
from moodline.daemon.levels import Level
from moodline.daemon.team import topics
from moodline.daemon.team.schema import OFFLINE, ONLINE, SCHEMA_VERSION, SPARKLINE_SCORES
from moodline.daemon.trend import Trend

log = logging.getLogger(__name__)
E = TypeVar("E", Level, Trend, AlertKind)


class InvalidPayloadError(ValueError):
    """A message that is not the team view's schema v1."""


@dataclass(frozen=True)
class ConversationPayload:
    """One open conversation's published state."""

    agent: str
    key: str  # the topic's conversation key
    conversation_id: str
    site: str
    level: Level
    score: float
    lowest_level: Level
    trend: Trend
    customer_messages: int
    scores: tuple[float, ...]
    opened_at: float
    updated_at: float
    published_at: float
    level_since: float | None = None  # when the level last changed (older daemons: absent)


@dataclass(frozen=True)
class ConversationUpdate:
    """A conversation's retained state; `state` None: cleared (closed or expired)."""

    agent: str
    key: str
    state: ConversationPayload | None


@dataclass(frozen=True)
class PresenceUpdate:
    agent: str
    online: bool


@dataclass(frozen=True)
class TeamAlert:
    """An alert an agent's daemon raised (threshold, fast drop, recovery)."""

    agent: str
    conversation_id: str
    conversation_key: str
    site: str
    kind: AlertKind
    level: Level
    previous_level: Level
    score: float
    at: float

    def notifies(self, threshold: Level | None) -> bool:
        """True for a threshold or fast-drop alert at `threshold` or worse (None: never)."""
        if threshold is None or self.kind == AlertKind.RECOVERY:
            return False
        return self.level.rank <= threshold.rank


@dataclass(frozen=True)
class AlertUpdate:
    alert: TeamAlert


@dataclass(frozen=True)
class Resync:
    """The subscriber (re)subscribed: the broker now sends the retained state again from scratch,
    so what the board knew may be stale (a conversation cleared while it was disconnected)."""


Update = ConversationUpdate | PresenceUpdate | AlertUpdate | Resync


def subscriptions(team_id: str) -> list[str]:
    """The topic filters the board subscribes to (presence, conversations, alerts)."""
    agents = f"{topics.team_prefix(team_id)}/agents/+"
    return [f"{agents}/status", f"{agents}/conversations/+", topics.alerts_topic(team_id)]


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise InvalidPayloadError(f"{name} is not a string")
    return value


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidPayloadError(f"{name} is not a number")
    return float(value)


def _number(data: dict[str, Any], name: str) -> float:
    return _finite(data.get(name), name)


def _count(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidPayloadError(f"{name} is not a count")
    return value


def _choice(data: dict[str, Any], name: str, kind: type[E]) -> E:
    value = data.get(name)
    try:
        return kind(str(value))
    except ValueError:
        raise InvalidPayloadError(f"{name} is not one of {', '.join(kind)}") from None


def _scores(data: dict[str, Any]) -> tuple[float, ...]:
    value = data.get("scores")
    if not isinstance(value, list) or len(value) > SPARKLINE_SCORES:
        raise InvalidPayloadError(f"scores is not a list of at most {SPARKLINE_SCORES} numbers")
    return tuple(max(-1.0, min(1.0, _finite(v, "scores"))) for v in value)


def _json_object(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise InvalidPayloadError("not JSON") from None
    if not isinstance(data, dict):
        raise InvalidPayloadError("not a JSON object")
    if data.get("v") != SCHEMA_VERSION:
        raise InvalidPayloadError(f"schema version {data.get('v')!r} is not {SCHEMA_VERSION}")
    return data


def conversation_payload(agent: str, key: str, payload: bytes) -> ConversationPayload:
    data = _json_object(payload)
    if _text(data, "agent") != agent:
        raise InvalidPayloadError("published under another agent's topic")
    conversation_id = _text(data, "conversation_id")
    if topics.conversation_key(conversation_id) != key:
        raise InvalidPayloadError("the conversation id does not match the topic's key")
    if data.get("open") is not True:
        raise InvalidPayloadError("a closed conversation must be an empty payload")
    return ConversationPayload(
        agent=agent,
        key=key,
        conversation_id=conversation_id,
        site=_text(data, "site"),
        level=_choice(data, "level", Level),
        score=_number(data, "score"),
        lowest_level=_choice(data, "lowest_level", Level),
        trend=_choice(data, "trend", Trend),
        customer_messages=_count(data, "customer_messages"),
        scores=_scores(data),
        opened_at=_number(data, "opened_at"),
        updated_at=_number(data, "updated_at"),
        published_at=_number(data, "published_at"),
        level_since=None if data.get("level_since") is None else _number(data, "level_since"),
    )


def alert(payload: bytes) -> TeamAlert:
    data = _json_object(payload)
    return TeamAlert(
        agent=_text(data, "agent"),
        conversation_id=_text(data, "conversation_id"),
        conversation_key=_text(data, "conversation_key"),
        site=_text(data, "site"),
        kind=_choice(data, "kind", AlertKind),
        level=_choice(data, "level", Level),
        previous_level=_choice(data, "previous_level", Level),
        score=_number(data, "score"),
        at=_number(data, "at"),
    )


def parse(team_id: str, topic: str, payload: bytes) -> Update | None:
    """The update a message on `topic` brings, or None (logged at debug) when it is not v1."""
    prefix = topics.team_prefix(team_id) + "/"
    try:
        if not topic.startswith(prefix):
            raise InvalidPayloadError("another team's topic")
        parts = topic[len(prefix) :].split("/")
        if parts == ["alerts"]:
            return AlertUpdate(alert(payload))
        if len(parts) == 3 and parts[0] == "agents" and parts[2] == "status":
            if payload not in (ONLINE, OFFLINE):
                raise InvalidPayloadError("presence is neither online nor offline")
            return PresenceUpdate(parts[1], payload == ONLINE)
        if len(parts) == 4 and parts[0] == "agents" and parts[2] == "conversations":
            agent, key = parts[1], parts[3]
            if not payload:
                return ConversationUpdate(agent, key, None)
            return ConversationUpdate(agent, key, conversation_payload(agent, key, payload))
        raise InvalidPayloadError("not a team view topic")
    except InvalidPayloadError as exc:
        log.debug("ignored an MQTT message on %s: %s", topic, exc)
        return None
