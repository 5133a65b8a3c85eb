"""Publishes team-view messages (schema v1) to a real broker as agents' daemons would: retained
conversation states and presence, clears, alerts. For the board's tests and the fleet benchmark."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import aiomqtt

from moodline.daemon.team.topics import (
    alerts_topic,
    conversation_key,
    conversation_topic,
    status_topic,
)


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    retain: bool = True


def conversation_state(
    team: str,
    agent: str,
    conversation_id: str,
    level: str,
    *,
    score: float = 0.0,
    site: str = "chatwoot",
    scores: Sequence[float] = (0.0,),
    customer_messages: int = 1,
    trend: str = "steady",
    updated_at: float | None = None,
    published_at: float | None = None,
) -> Message:
    now = time.time()
    body = {
        "v": 1,
        "agent": agent,
        "conversation_id": conversation_id,
        "site": site,
        "level": level,
        "score": score,
        "lowest_level": level,
        "trend": trend,
        "customer_messages": customer_messages,
        "scores": list(scores),
        "opened_at": now - 600,
        "updated_at": now if updated_at is None else updated_at,
        "open": True,
        "published_at": now if published_at is None else published_at,
    }
    topic = conversation_topic(team, agent, conversation_id)
    return Message(topic, json.dumps(body, separators=(",", ":")).encode())


def cleared(team: str, agent: str, conversation_id: str) -> Message:
    return Message(conversation_topic(team, agent, conversation_id), b"")


def presence(team: str, agent: str, online: bool) -> Message:
    return Message(status_topic(team, agent), b"online" if online else b"offline")


def alert(
    team: str, agent: str, conversation_id: str, level: str, kind: str = "threshold"
) -> Message:
    body = {
        "v": 1,
        "agent": agent,
        "conversation_id": conversation_id,
        "conversation_key": conversation_key(conversation_id),
        "site": "chatwoot",
        "kind": kind,
        "level": level,
        "previous_level": "neutral",
        "score": -0.5,
        "at": time.time(),
    }
    return Message(alerts_topic(team), json.dumps(body).encode(), retain=False)


async def publish_async(port: int, messages: Sequence[Message]) -> None:
    async with aiomqtt.Client(
        "127.0.0.1", port, identifier=f"test-agent-{uuid.uuid4().hex[:8]}"
    ) as client:
        for message in messages:
            await client.publish(message.topic, message.payload, qos=1, retain=message.retain)


def publish(port: int, *messages: Message) -> None:
    """Publish `messages` in order (QoS 1) from a fresh connection; returns once acknowledged."""
    asyncio.run(publish_async(port, messages))
