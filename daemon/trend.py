"""A conversation's trend from its recent window scores (the widget's arrow, the team view's)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

TREND_SPAN = 3
TREND_EPSILON = 0.08


class Trend(StrEnum):
    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"


def trend_of(scores: Sequence[float]) -> Trend:
    """Rising or falling when the window score moved by more than a little over the last three
    customer messages."""
    if len(scores) < 2:
        return Trend.STEADY
    change = scores[-1] - scores[max(0, len(scores) - 1 - TREND_SPAN)]
    if change > TREND_EPSILON:
        return Trend.RISING
    if change < -TREND_EPSILON:
        return Trend.FALLING
    return Trend.STEADY
