"""Text preparation shared by training and scoring: emoji to words, surface and lexicon features."""

from __future__ import annotations

import re

import emoji
import numpy as np

from moodline.daemon.scoring.lexicon import analyzer
from moodline.daemon.scoring.negation import resolve_negated_negatives

_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_REPEATED_MARKS = re.compile(r"[!?]{2,}")

SURFACE_FEATURE_NAMES: tuple[str, ...] = (
    "shouted_word_share",
    "exclamation_marks",
    "repeated_marks",
    "question_marks",
)


def prepare_text(text: str) -> str:
    """Resolve negated negative words ("not terrible" -> "good"), spell emoji out as words the
    encoder knows (😡 -> enraged face) and normalise whitespace."""
    spelled = emoji.demojize(resolve_negated_negatives(text), delimiters=(" ", " "))
    spelled = spelled.replace("_", " ")
    return _WHITESPACE.sub(" ", spelled).strip()


def surface_features(text: str) -> np.ndarray:
    """Signals the uncased encoder cannot see: shouting in capitals and insistent punctuation."""
    words = _WORD.findall(text)
    long_words = [w for w in words if len(w) >= 2]
    shouted = sum(1 for w in long_words if w.isupper())
    shouted_share = shouted / len(long_words) if len(long_words) >= 2 else 0.0
    return np.array(
        [
            shouted_share,
            min(text.count("!"), 5) / 5.0,
            1.0 if _REPEATED_MARKS.search(text) else 0.0,
            min(text.count("?"), 3) / 3.0,
        ],
        dtype=np.float32,
    )


def surface_feature_matrix(texts: list[str]) -> np.ndarray:
    """`surface_features` for many texts, one row each."""
    if not texts:
        return np.zeros((0, len(SURFACE_FEATURE_NAMES)), dtype=np.float32)
    return np.stack([surface_features(t) for t in texts])


LEXICON_FEATURE_NAMES: tuple[str, ...] = ("vader_neg", "vader_neu", "vader_pos", "vader_compound")


def lexicon_feature_matrix(texts: list[str]) -> np.ndarray:
    """VADER's lexicon scores as four features (the head learns when to trust them)."""
    vader = analyzer()
    rows = [vader.polarity_scores(t) for t in texts]
    return np.array(
        [[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows], dtype=np.float32
    ).reshape(len(texts), len(LEXICON_FEATURE_NAMES))


FEATURE_SET = {
    "embedding": "all-MiniLM-L6-v2 mean-pooled, L2-normalised (384), of the text with negated "
    "negative words resolved (daemon/scoring/negation.py) and emoji spelled out",
    "surface": list(SURFACE_FEATURE_NAMES),
    "lexicon": list(LEXICON_FEATURE_NAMES),
}


def extra_feature_matrix(texts: list[str]) -> np.ndarray:
    """Everything the head sees besides the embedding: surface then lexicon features."""
    return np.hstack([surface_feature_matrix(texts), lexicon_feature_matrix(texts)])
