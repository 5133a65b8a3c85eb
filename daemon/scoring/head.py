"""The classifier head: standardised embedding -> softmax over negative/neutral/positive, in numpy.

Heads are trained with scikit-learn (see `models/training.py`) and saved as NPZ parameters plus a
JSON metadata file carrying their SHA-256; loading checks the hash, and nothing is unpickled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon.scoring.encoders import EMBEDDING_DIM
from moodline.daemon.scoring.hashing import ModelIntegrityError, sha256_file

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
HEAD_FILE = "head.npz"
METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class LinearHead:
    """Multinomial logistic regression over the standardised sentence embedding."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (3, n_features)
    intercept: np.ndarray  # (3,)

    def labels(self, embeddings: np.ndarray) -> np.ndarray:
        """Arg-max label indices for embeddings."""
        return np.asarray(self.probabilities(embeddings).argmax(axis=1))

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities (rows sum to 1) in the order of `LABELS`."""
        z = (features - self.mean) / self.scale
        logits = z @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: np.ndarray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return probabilities

    @property
    def n_features(self) -> int:
        return int(self.coef.shape[1])

    def save(self, folder: Path) -> dict[str, dict[str, str]]:
        """Write `head.npz` into `folder`; return its SHA-256."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / HEAD_FILE
        with path.open("wb") as handle:
            np.savez(
                handle,
                mean=self.mean.astype(np.float64),
                scale=self.scale.astype(np.float64),
                coef=self.coef.astype(np.float64),
                intercept=self.intercept.astype(np.float64),
            )
        return {HEAD_FILE: {"sha256": sha256_file(path)}}


def read_metadata(folder: Path) -> dict[str, Any]:
    """The head's metadata; a clear error if it is missing or not JSON."""
    path = folder / METADATA_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelIntegrityError(f"model metadata missing: {path}") from exc
    except json.JSONDecodeError as exc:
        raise ModelIntegrityError(f"model metadata is not valid JSON: {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelIntegrityError(f"model metadata is not a JSON object: {path}")
    return data


def verified_file(folder: Path, name: str, metadata: dict[str, Any]) -> Path:
    """`folder/name`, after checking it against the SHA-256 its metadata records."""
    path = folder / name
    if not path.is_file():
        raise ModelIntegrityError(f"model file missing: {path}")
    expected = metadata.get("files", {}).get(name, {}).get("sha256")
    actual = sha256_file(path)
    if expected != actual:
        raise ModelIntegrityError(
            f"refusing to load {path}: its SHA-256 {actual[:12]}... does not match the "
            f"metadata ({str(expected)[:12]}...). Reinstall Moodline or retrain this head."
        )
    return path


def load_head(folder: Path, n_features: int = EMBEDDING_DIM) -> tuple[LinearHead, dict[str, Any]]:
    """Load a head (over `n_features`-dimensional embeddings) after checking its file against
    its metadata's SHA-256."""
    metadata = read_metadata(folder)
    path = verified_file(folder, HEAD_FILE, metadata)
    with np.load(path, allow_pickle=False) as arrays:
        head = LinearHead(
            mean=arrays["mean"].astype(np.float32),
            scale=arrays["scale"].astype(np.float32),
            coef=arrays["coef"].astype(np.float32),
            intercept=arrays["intercept"].astype(np.float32),
        )
    if head.n_features != n_features or head.n_features != int(
        metadata.get("n_features", head.n_features)
    ):
        raise ModelIntegrityError(f"{path} does not have the features its metadata describes")
    return head, metadata
