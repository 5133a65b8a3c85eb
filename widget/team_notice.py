"""What the widget tells the agent, in words, when the team view shares their levels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WHAT_IS_SHARED = (
    "For each open chat: its level, score, lowest level, trend, number of customer messages, "
    "recent scores and times, alerts, and whether you are online. Never what anyone wrote."
)
OFF = "Team view off: nothing is shared with your team."
SET_BY_IT = "Set by IT (moodline install)"


def is_shared(settings: Mapping[str, Any]) -> bool:
    return bool(settings.get("team_broker")) and bool(settings.get("team_id"))


def sharing_text(settings: Mapping[str, Any]) -> str:
    """The full sentence: shared or not, with whom, through which broker, as whom, and what."""
    if not is_shared(settings):
        return OFF
    return (
        f"Your chats' levels are shared with team {settings['team_id']} as "
        f"{settings.get('team_agent', '')}, through {settings['team_broker']}. {WHAT_IS_SHARED}"
    )


def short_text(settings: Mapping[str, Any]) -> str:
    """The glance window's line (its tooltip and accessible name hold `sharing_text`)."""
    return f"Levels shared with team {settings['team_id']}" if is_shared(settings) else ""
