"""A scorer without the model, for tests of what guards the daemon (security, fuzzing): its
encoder turns each text into a fixed pseudo-random vector, read by the shipped head."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from moodline.daemon.scoring.encoders import EMBEDDING_DIM
from moodline.daemon.scoring.heads import load_shipped_head
from moodline.daemon.scoring.scorer import MessageScorer


class StubEncoder:
    """Same text, same unit vector; no model file is read."""

    name = "stub"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            row = np.random.default_rng(seed).standard_normal(EMBEDDING_DIM).astype(np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.array(rows, dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)


def stub_scorer() -> MessageScorer:
    head, _ = load_shipped_head()
    return MessageScorer(StubEncoder(), head)
