"""The window aggregation: neutral start, recency weights, hysteresis, can't-tell, levels."""

from __future__ import annotations

import pytest

from moodline.daemon.levels import DEFAULT_THRESHOLDS, Level, level_for_score, validate_thresholds
from moodline.daemon.scoring.window import NEUTRAL_START, WindowConfig, WindowItem, aggregate


def items(*scores: float, uncertain: bool = False) -> list[WindowItem]:
    return [WindowItem(f"m{i}", s, uncertain) for i, s in enumerate(scores)]


def test_empty_window_is_neutral() -> None:
    assert aggregate([], Level.NEUTRAL) == NEUTRAL_START


def test_contributions_sum_to_score_and_newest_weighs_most() -> None:
    state = aggregate(items(-0.8, 0.8), Level.NEUTRAL)
    assert state.score > 0
    assert sum(c.contribution for c in state.contributions) == pytest.approx(state.score)
    assert state.contributions[1].weight > state.contributions[0].weight


def test_only_last_six_count() -> None:
    state = aggregate(items(-1, -1, -1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9), Level.NEUTRAL)
    assert len(state.contributions) == 6
    assert state.level in {Level.POSITIVE, Level.VERY_POSITIVE}


def test_hysteresis_keeps_level_near_a_boundary() -> None:
    boundary = DEFAULT_THRESHOLDS[2]  # slightly_negative | neutral
    config = WindowConfig(prior_weight=0.0)
    just_below = aggregate(items(boundary - 0.02), Level.NEUTRAL, config)
    assert just_below.level == Level.NEUTRAL, "within the hysteresis margin: no flap"
    clearly_below = aggregate(items(boundary - 0.1), Level.NEUTRAL, config)
    assert clearly_below.level == Level.SLIGHTLY_NEGATIVE


def test_one_uncertain_message_barely_moves_the_level() -> None:
    calm = items(0.0, 0.0, 0.0)
    ambiguous = [*calm, WindowItem("x", -0.6, uncertain=True)]
    assert aggregate(ambiguous, Level.NEUTRAL).level == Level.NEUTRAL
    certain = [*calm, WindowItem("x", -0.9, uncertain=False)]
    assert aggregate(certain, Level.NEUTRAL).level != Level.NEUTRAL


def test_all_uncertain_window_is_cant_tell() -> None:
    assert aggregate(items(0.1, -0.1, uncertain=True), Level.NEUTRAL).uncertain
    assert not aggregate(items(0.1), Level.NEUTRAL).uncertain


def test_level_bands_cover_the_range() -> None:
    assert level_for_score(-1.0) == Level.VERY_NEGATIVE
    assert level_for_score(0.0) == Level.NEUTRAL
    assert level_for_score(1.0) == Level.VERY_POSITIVE
    seen = {level_for_score(x / 100) for x in range(-100, 101)}
    assert seen == set(Level)


@pytest.mark.parametrize(
    "bad", [[0.1] * 6, [-0.5, -0.3, -0.1, 0.1, 0.3], [-1, -0.3, 0, 0.1, 0.2, 0.3]]
)
def test_bad_thresholds_are_rejected(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        validate_thresholds(bad)
