"""Scores customer messages: probabilities, a score in [-1, 1], a confidence, a label; or says a
message is not scored because it is not in a language the model supports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from moodline.daemon.scoring.encoders import Encoder
from moodline.daemon.scoring.head import LABELS, LinearHead
from moodline.daemon.scoring.language import check_language
from moodline.daemon.scoring.text_prep import prepare_text

DEFAULT_UNCERTAIN_BELOW = 0.5


@dataclass(frozen=True)
class MessageScore:
    """One message's sentiment. `uncertain` is the visible "can't tell" state."""

    negative: float
    neutral: float
    positive: float
    score: float
    confidence: float
    label: str
    uncertain: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "probabilities": {
                "negative": round(self.negative, 4),
                "neutral": round(self.neutral, 4),
                "positive": round(self.positive, 4),
            },
            "score": round(self.score, 4),
            "confidence": round(self.confidence, 4),
            "label": self.label,
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True)
class NotScored:
    """A message the model does not score (it does not move the level): why, and its language."""

    language: str
    reason: str = "language"

    def to_dict(self) -> dict[str, object]:
        return {"not_scored": {"reason": self.reason, "language": self.language}}


Assessment = MessageScore | NotScored


def embed(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """Embeddings of raw message texts (emoji spelled out first)."""
    return encoder.encode([prepare_text(t) for t in texts])


class MessageScorer:
    """Encoder + head. Score = P(positive) - P(negative); confidence = top probability."""

    def __init__(
        self,
        encoder: Encoder,
        head: LinearHead,
        uncertain_below: float = DEFAULT_UNCERTAIN_BELOW,
    ) -> None:
        self.encoder = encoder
        self.head = head
        self.uncertain_below = uncertain_below

    def score_many(self, texts: Sequence[str]) -> list[MessageScore]:
        if not texts:
            return []
        probs = self.head.probabilities(embed(self.encoder, texts))
        return [self._from_probs(row) for row in probs]

    def score(self, text: str) -> MessageScore:
        return self.score_many([text])[0]

    def assess_many(self, texts: Sequence[str]) -> list[Assessment]:
        """Like `score_many`, but messages in an unsupported language come back `NotScored`."""
        checks = [check_language(t) for t in texts]
        supported = [t for t, c in zip(texts, checks, strict=True) if c.supported]
        scores = iter(self.score_many(supported))
        return [next(scores) if c.supported else NotScored(c.language) for c in checks]

    def _from_probs(self, row: np.ndarray) -> MessageScore:
        negative, neutral, positive = (float(x) for x in row)
        top = int(np.argmax(row))
        confidence = float(row[top])
        return MessageScore(
            negative=negative,
            neutral=neutral,
            positive=positive,
            score=positive - negative,
            confidence=confidence,
            label=LABELS[top],
            uncertain=confidence < self.uncertain_below,
        )
