"""Alert rules (the widget's, and the team view's with the team threshold): level threshold, fast
drop and recovery, without alert fatigue. Pure Python (no Qt), so the daemon and widget share them.

Fed one window state per customer message (the daemon's timeline or live `sentiment` events):
- threshold: the level reaches the configured level or worse (off, slightly_negative, negative,
  very_negative; default negative). Re-armed only once the conversation is back above it.
- fast drop: the level fell at least two levels within the last three customer messages.
  Re-armed once the level rises again.
- recovery: a conversation that raised a threshold or fast-drop alert is back to neutral or better.
Nothing is raised while scoring is paused, and the same state never alerts twice.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from moodline.daemon.levels import Level

FAST_DROP_LEVELS = 2
FAST_DROP_WINDOW = 3


class AlertKind(StrEnum):
    THRESHOLD = "threshold"
    FAST_DROP = "fast_drop"
    RECOVERY = "recovery"


@dataclass(frozen=True)
class Alert:
    conversation_id: str
    kind: AlertKind
    level: Level
    previous_level: Level


@dataclass(frozen=True)
class AlertSettings:
    """`threshold` None means off."""

    threshold: Level | None = Level.NEGATIVE
    fast_drop: bool = True
    recovery: bool = True


@dataclass
class _Track:
    levels: deque[Level] = field(default_factory=lambda: deque([Level.NEUTRAL], maxlen=4))
    threshold_armed: bool = True
    since_fast_drop: int = FAST_DROP_WINDOW  # states seen since the last fast-drop alert
    awaiting_recovery: bool = False


class AlertRules:
    """Per-conversation alert state; `observe` returns the alerts a new window state raises."""

    def __init__(self, settings: AlertSettings = AlertSettings()) -> None:
        self.settings = settings
        self._tracks: dict[str, _Track] = {}

    def forget(self, conversation_id: str) -> None:
        self._tracks.pop(conversation_id, None)

    def observe(self, conversation_id: str, level: Level, paused: bool = False) -> list[Alert]:
        track = self._tracks.setdefault(conversation_id, _Track())
        previous = track.levels[-1]
        track.levels.append(level)
        alerts: list[Alert] = []
        if self._threshold_hit(track, level):
            alerts.append(Alert(conversation_id, AlertKind.THRESHOLD, level, previous))
        if self._fast_drop(track, level):
            alerts.append(Alert(conversation_id, AlertKind.FAST_DROP, level, previous))
        if alerts:
            track.awaiting_recovery = True
        elif self._recovered(track, level):
            alerts.append(Alert(conversation_id, AlertKind.RECOVERY, level, previous))
        return [] if paused else alerts

    def _threshold_hit(self, track: _Track, level: Level) -> bool:
        threshold = self.settings.threshold
        if threshold is None:
            return False
        if level.rank > threshold.rank:
            track.threshold_armed = True
            return False
        if track.threshold_armed:
            track.threshold_armed = False
            return True
        return False

    def _fast_drop(self, track: _Track, level: Level) -> bool:
        """A drop counts from the level before the last three messages, but never reaches back
        past the previous fast-drop alert, so one fall alerts once."""
        track.since_fast_drop += 1
        span = min(FAST_DROP_WINDOW, track.since_fast_drop)
        recent = list(track.levels)[-(span + 1) :]
        if not self.settings.fast_drop:
            return False
        if max(lv.rank for lv in recent) - level.rank >= FAST_DROP_LEVELS:
            track.since_fast_drop = 0
            return True
        return False

    def _recovered(self, track: _Track, level: Level) -> bool:
        if track.awaiting_recovery and level.rank >= Level.NEUTRAL.rank:
            track.awaiting_recovery = False
            return self.settings.recovery
        return False
