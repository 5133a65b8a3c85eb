"""The conversation window: the customer's last N messages aggregated into one of seven levels.

Aggregation (documented in docs/protocol.md and the model card):
  weight_i = recency_decay ** age_i  (age 0 = newest), times `uncertain_weight` when the message is
             a "can't tell" one, so one ambiguous message barely moves the level;
  score    = sum(weight_i * score_i) / (prior_weight + sum(weight_i)), a neutral prior that makes
             a conversation start at neutral and stops a single message from jumping to an extreme;
  contribution_i = weight_i * score_i / (prior_weight + sum(weight_i)), which sums to the score.
Hysteresis: the level changes only when the score leaves the current level's band by more than
`hysteresis`; then it takes the band the score is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from moodline.daemon.levels import DEFAULT_THRESHOLDS, Level, band_of, level_for_score


@dataclass(frozen=True)
class WindowConfig:
    """Tunable aggregation settings (all exposed in the settings file)."""

    size: int = 6
    recency_decay: float = 0.8
    prior_weight: float = 0.5
    uncertain_weight: float = 0.3
    hysteresis: float = 0.05
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS


@dataclass(frozen=True)
class WindowItem:
    """One scored customer message as the window sees it (a correction overrides the model)."""

    message_id: str
    score: float
    uncertain: bool
    corrected: bool = False


@dataclass(frozen=True)
class Contribution:
    message_id: str
    score: float
    weight: float
    contribution: float
    uncertain: bool
    corrected: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "message_id": self.message_id,
            "score": round(self.score, 4),
            "weight": round(self.weight, 4),
            "contribution": round(self.contribution, 4),
            "uncertain": self.uncertain,
            "corrected": self.corrected,
        }


@dataclass(frozen=True)
class WindowState:
    """The aggregate after a customer message: level, score, and why."""

    level: Level
    score: float
    uncertain: bool
    contributions: tuple[Contribution, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level.value,
            "score": round(self.score, 4),
            "uncertain": self.uncertain,
            "window": [c.to_dict() for c in self.contributions],
        }


NEUTRAL_START = WindowState(level=Level.NEUTRAL, score=0.0, uncertain=False)


def aggregate(
    items: Sequence[WindowItem], previous: Level, config: WindowConfig = WindowConfig()
) -> WindowState:
    """The window state for the customer's messages `items` (oldest first), given the last level."""
    window = list(items)[-config.size :]
    if not window:
        return NEUTRAL_START
    weights = []
    for age, item in enumerate(reversed(window)):
        weight = config.recency_decay**age
        if item.uncertain and not item.corrected:
            weight *= config.uncertain_weight
        weights.append(weight)
    weights.reverse()
    total = config.prior_weight + sum(weights)
    contributions = tuple(
        Contribution(
            message_id=item.message_id,
            score=item.score,
            weight=weight,
            contribution=weight * item.score / total,
            uncertain=item.uncertain,
            corrected=item.corrected,
        )
        for item, weight in zip(window, weights, strict=True)
    )
    score = max(-1.0, min(1.0, sum(c.contribution for c in contributions)))
    lower, upper = band_of(previous, config.thresholds)
    if lower - config.hysteresis <= score < upper + config.hysteresis:
        level = previous
    else:
        level = level_for_score(score, config.thresholds)
    uncertain = all(c.uncertain and not c.corrected for c in contributions)
    return WindowState(level=level, score=score, uncertain=uncertain, contributions=contributions)
