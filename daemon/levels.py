"""The seven sentiment levels and the mapping from a score in [-1, 1] to a level."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from itertools import pairwise


class Level(StrEnum):
    """A conversation's sentiment level, ordered from worst to best."""

    VERY_NEGATIVE = "very_negative"
    NEGATIVE = "negative"
    SLIGHTLY_NEGATIVE = "slightly_negative"
    NEUTRAL = "neutral"
    SLIGHTLY_POSITIVE = "slightly_positive"
    POSITIVE = "positive"
    VERY_POSITIVE = "very_positive"

    @property
    def rank(self) -> int:
        """-3 (very negative) .. +3 (very positive)."""
        return LEVELS.index(self) - 3


LEVELS: tuple[Level, ...] = tuple(Level)

# Upper bounds (exclusive) of the first six levels; the seventh is everything above.
DEFAULT_THRESHOLDS: tuple[float, ...] = (-0.55, -0.3, -0.1, 0.1, 0.3, 0.55)


def validate_thresholds(thresholds: Sequence[float]) -> tuple[float, ...]:
    """Check six strictly increasing boundaries inside (-1, 1); return them as a tuple."""
    values = tuple(float(t) for t in thresholds)
    if len(values) != 6:
        raise ValueError(f"need exactly 6 level boundaries, got {len(values)}")
    if any(not -1.0 < t < 1.0 for t in values):
        raise ValueError("level boundaries must lie strictly between -1 and 1")
    if any(b <= a for a, b in pairwise(values)):
        raise ValueError("level boundaries must be strictly increasing")
    return values


def level_for_score(score: float, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> Level:
    """The level whose band contains `score`."""
    for level, upper in zip(LEVELS, thresholds, strict=False):
        if score < upper:
            return level
    return Level.VERY_POSITIVE


def band_of(level: Level, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> tuple[float, float]:
    """The [lower, upper) score band of `level`."""
    index = LEVELS.index(level)
    lower = -1.0 if index == 0 else thresholds[index - 1]
    upper = 1.0 if index == len(LEVELS) - 1 else thresholds[index]
    return lower, upper
