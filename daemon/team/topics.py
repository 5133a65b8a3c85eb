"""The team view's MQTT topics, all under `moodline/v1/<team_id>/`."""

from __future__ import annotations

import hashlib

ROOT = "moodline/v1"
KEY_CHARS = 16  # 64 bits of SHA-256: no collisions among one agent's conversations in practice


def conversation_key(conversation_id: str) -> str:
    """A topic-safe key for a conversation: the first 16 hex digits of SHA-256 of its id (UTF-8).

    Conversation ids may hold `/`, `+`, `#` or a ticket number; the key holds none of them and the
    full id travels in the payload."""
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:KEY_CHARS]


def team_prefix(team_id: str) -> str:
    return f"{ROOT}/{team_id}"


def agent_prefix(team_id: str, agent: str) -> str:
    return f"{team_prefix(team_id)}/agents/{agent}"


def status_topic(team_id: str, agent: str) -> str:
    """Retained `online` / `offline` (the last will)."""
    return f"{agent_prefix(team_id, agent)}/status"


def conversation_topic(team_id: str, agent: str, conversation_id: str) -> str:
    """Retained state of one open conversation; an empty retained payload clears it."""
    return f"{agent_prefix(team_id, agent)}/conversations/{conversation_key(conversation_id)}"


def alerts_topic(team_id: str) -> str:
    """Non-retained alerts of the whole team."""
    return f"{team_prefix(team_id)}/alerts"
