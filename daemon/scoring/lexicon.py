"""VADER's sentiment analyzer and lexicon, loaded once and shared by the text preparation steps."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def analyzer() -> Any:
    """The vaderSentiment analyzer (its lexicon maps lower-case words to valences, -4..4)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def negators() -> frozenset[str]:
    """Words that negate what follows: VADER's list, plus "no", less "despite" (a concession)."""
    from vaderSentiment.vaderSentiment import NEGATE

    return frozenset(NEGATE) - {"despite"} | {"no"}
