"""Scores customer messages: probabilities, a score in [-1, 1], a confidence, a label; or says a
message is not scored because it is not in a language the model supports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from moodline.daemon.scoring.encoders import Encoder
from moodline.daemon.scoring.head import LABELS, ClassifierHead
from moodline.daemon.scoring.language import LanguageCheck, check_language
from moodline.daemon.scoring.multilingual import (
    ENGLISH_PATH,
    MULTILINGUAL_LANGUAGES,
    MULTILINGUAL_PATH,
    MultilingualPath,
)
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
    language: str = "en"  # ISO 639-1
    path: str = ENGLISH_PATH  # which encoder and head scored it

    def to_dict(self) -> dict[str, object]:
        return {
            "language": self.language,
            "path": self.path,
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
        head: ClassifierHead,
        uncertain_below: float = DEFAULT_UNCERTAIN_BELOW,
        multilingual: MultilingualPath | None = None,
    ) -> None:
        self.encoder = encoder
        self.head = head
        self.uncertain_below = uncertain_below
        self.multilingual = multilingual

    def score_many(self, texts: Sequence[str]) -> list[MessageScore]:
        if not texts:
            return []
        probs = self.head.probabilities(embed(self.encoder, texts))
        return [self._from_probs(row) for row in probs]

    def score(self, text: str) -> MessageScore:
        return self.score_many([text])[0]

    def assess_many(
        self, texts: Sequence[str], checks: Sequence[LanguageCheck] | None = None
    ) -> list[Assessment]:
        """Each message on its language's path: English on the main encoder, the multilingual
        encoder's languages on the second path (when shipped), any other `NotScored`. `checks`,
        one per text, when the caller already routed them (a conversation's own language)."""
        if checks is None:
            checks = [check_language(t) for t in texts]
        elif len(checks) != len(texts):
            raise ValueError("one language check per text")
        results: list[Assessment] = [NotScored(c.language) for c in checks]
        english = [i for i, c in enumerate(checks) if c.supported]
        for i, score in zip(english, self.score_many([texts[i] for i in english]), strict=True):
            results[i] = score
        others = [
            i
            for i, c in enumerate(checks)
            if not c.supported and c.language in MULTILINGUAL_LANGUAGES
        ]
        if others and self.multilingual is not None:
            rows = self.multilingual.probabilities([texts[i] for i in others])
            for i, row in zip(others, rows, strict=True):
                results[i] = self._from_probs(row, checks[i].language, MULTILINGUAL_PATH)
        return results

    def _from_probs(
        self, row: np.ndarray, language: str = "en", path: str = ENGLISH_PATH
    ) -> MessageScore:
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
            language=language,
            path=path,
        )
