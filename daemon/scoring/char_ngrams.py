"""Character n-gram evidence for the multilingual head: TF-IDF over n-grams within words, scored
by a linear layer, in numpy (the daemon has no scikit-learn; training uses its TfidfVectorizer
with `analyzer="char_wb"`, and tests/unit/test_char_ngrams.py holds the two to the same numbers)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

NGRAM_RANGE: tuple[int, int] = (1, 4)
PREFIX = "lexical_"  # the arrays' names inside head.npz


def word_ngrams(text: str, ngram_range: tuple[int, int] = NGRAM_RANGE) -> list[str]:
    """The n-grams of each lower-cased word padded with one space either side (a word shorter
    than n counts once, whole): scikit-learn's `char_wb` analyzer, unchanged."""
    low, high = ngram_range
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            last = max(len(padded) - n, 0)
            grams.extend(padded[start : start + n] for start in range(last + 1))
            if last == 0:
                break
    return grams


@dataclass(frozen=True)
class CharNgrams:
    """Sublinear TF-IDF (L2-normalised) over a sorted n-gram vocabulary, then `coef` and
    `intercept`; its logits count `weight` times beside the embedding head's."""

    vocabulary: np.ndarray  # (V,) str, sorted
    idf: np.ndarray  # (V,)
    coef: np.ndarray  # (3, V)
    intercept: np.ndarray  # (3,)
    weight: float = 1.0

    def tfidf(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's TF-IDF row, sparse: vocabulary indices and their values (n-grams outside
        the vocabulary are ignored; no known n-gram gives two empty arrays)."""
        counts = Counter(word_ngrams(text))
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        if not counts or len(self.vocabulary) == 0:
            return empty
        grams = np.array(list(counts), dtype=self.vocabulary.dtype)
        index = np.searchsorted(self.vocabulary, grams)
        index[index == len(self.vocabulary)] = 0
        known = self.vocabulary[index] == grams
        if not known.any():
            return empty
        tf = 1.0 + np.log(np.array(list(counts.values()), dtype=np.float32)[known])
        values = tf * self.idf[index[known]]
        return index[known], (values / np.linalg.norm(values)).astype(np.float32)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) logits, already multiplied by `weight`."""
        scores = np.tile(self.intercept, (len(texts), 1)).astype(np.float32)
        for row, text in enumerate(texts):
            index, values = self.tfidf(text)
            scores[row] += self.coef[:, index] @ values
        return np.asarray(self.weight * scores, dtype=np.float32)

    def scaled(self, factor: float) -> CharNgrams:
        """The same evidence counted `factor` times as much."""
        return replace(self, weight=self.weight * factor)

    def arrays(self) -> dict[str, np.ndarray]:
        """What `head.npz` stores of it."""
        return {
            f"{PREFIX}vocabulary": self.vocabulary,
            f"{PREFIX}idf": self.idf.astype(np.float32),
            f"{PREFIX}coef": self.coef.astype(np.float32),
            f"{PREFIX}intercept": self.intercept.astype(np.float32),
            f"{PREFIX}weight": np.array(self.weight, dtype=np.float64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> CharNgrams | None:
        """Read back what `arrays` wrote (None when a head has no n-gram part); raises
        ValueError when the arrays do not fit together."""
        names = [f"{PREFIX}{n}" for n in ("vocabulary", "idf", "coef", "intercept", "weight")]
        if not any(name in arrays for name in names):
            return None
        if not all(name in arrays for name in names):
            raise ValueError("the n-gram part of the head is incomplete")
        vocabulary, idf, coef, intercept, weight = (arrays[name] for name in names)
        size = len(vocabulary)
        if (
            vocabulary.dtype.kind != "U"
            or idf.shape != (size,)
            or coef.shape != (3, size)
            or intercept.shape != (3,)
            or weight.shape != ()
            or (size > 1 and not bool((vocabulary[1:] > vocabulary[:-1]).all()))
        ):
            raise ValueError("the n-gram part of the head does not fit together")
        return cls(
            vocabulary=vocabulary,
            idf=idf.astype(np.float32),
            coef=coef.astype(np.float32),
            intercept=intercept.astype(np.float32),
            weight=float(weight),
        )
