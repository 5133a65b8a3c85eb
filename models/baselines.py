"""Lexicon baselines the shipped model is compared against: VADER and TextBlob."""

from __future__ import annotations

from collections.abc import Callable, Sequence

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2


def _bucket(value: float, cut: float = 0.05) -> int:
    if value <= -cut:
        return NEGATIVE
    if value >= cut:
        return POSITIVE
    return NEUTRAL


def vader_labels(texts: Sequence[str]) -> list[int]:
    """VADER compound score with its documented +-0.05 neutral band."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [_bucket(analyzer.polarity_scores(t)["compound"]) for t in texts]


def textblob_labels(texts: Sequence[str]) -> list[int]:
    """TextBlob (pattern lexicon) polarity with a +-0.05 neutral band."""
    from textblob import TextBlob

    return [_bucket(TextBlob(t).sentiment.polarity) for t in texts]


BASELINES: dict[str, Callable[[Sequence[str]], list[int]]] = {
    "vader": vader_labels,
    "textblob": textblob_labels,
}
