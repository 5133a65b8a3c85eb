"""How the board words levels, durations, trends and alerts (plain text, no Qt)."""

from __future__ import annotations

from moodline.board.payloads import TeamAlert
from moodline.daemon.alerts import AlertKind
from moodline.daemon.levels import Level
from moodline.daemon.trend import Trend

ARROWS = {Trend.RISING: "↑ rising", Trend.FALLING: "↓ falling", Trend.STEADY: "→ steady"}


def level_text(level: Level) -> str:
    return level.value.replace("_", " ")


def duration_text(seconds: float) -> str:
    """`42 s`, `12 min`, `1 h 05 min`."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def alert_text(alert: TeamAlert) -> tuple[str, str]:
    """Title and body for an alert about one agent's chat."""
    chat = f"{alert.agent}: {alert.conversation_id}"
    level, was = level_text(alert.level), level_text(alert.previous_level)
    if alert.kind == AlertKind.THRESHOLD:
        return f"{chat} is {level}", f"Reached the team's alert level (was {was}) on {alert.site}."
    if alert.kind == AlertKind.FAST_DROP:
        return f"{chat} is dropping fast", f"From {was} to {level} within a few messages."
    return f"{chat} has recovered", f"Back to {level}."
