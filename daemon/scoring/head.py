"""The classifier head: standardised embedding -> softmax over negative/neutral/positive, in numpy.

A multinomial logistic regression, or (the multilingual path's shipped head) the same after one
hidden ReLU layer. Heads are trained with scikit-learn (see `models/training.py`) and saved as NPZ
parameters plus a JSON metadata file carrying their SHA-256; loading checks the hash, and nothing
is unpickled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon.scoring.encoders import EMBEDDING_DIM
from moodline.daemon.scoring.hashing import ModelIntegrityError, sha256_file

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
HEAD_FILE = "head.npz"
METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class ClassifierHead:
    """Softmax over the standardised sentence embedding: a linear layer (`coef`, `intercept`),
    after a hidden ReLU layer when `hidden_weights` is set (a one-hidden-layer perceptron)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (3, n_features), or (3, n_hidden) after a hidden layer
    intercept: np.ndarray  # (3,)
    hidden_weights: np.ndarray | None = None  # (n_hidden, n_features)
    hidden_bias: np.ndarray | None = None  # (n_hidden,)

    def labels(self, embeddings: np.ndarray) -> np.ndarray:
        """Arg-max label indices for embeddings."""
        return np.asarray(self.probabilities(embeddings).argmax(axis=1))

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities (rows sum to 1) in the order of `LABELS`."""
        z = (features - self.mean) / self.scale
        if self.hidden_weights is not None and self.hidden_bias is not None:
            z = np.maximum(z @ self.hidden_weights.T + self.hidden_bias, 0.0)
        logits = z @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: np.ndarray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return probabilities

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    @property
    def kind(self) -> str:
        """ "logistic" or "mlp" (one hidden ReLU layer), as the metadata names it."""
        return "logistic" if self.hidden_weights is None else "mlp"

    def with_temperature(self, temperature: float) -> ClassifierHead:
        """The same head with its logits divided by `temperature` (the same labels, softer or
        sharper probabilities)."""
        return replace(
            self,
            coef=(self.coef / temperature).astype(np.float32),
            intercept=(self.intercept / temperature).astype(np.float32),
        )

    def save(self, folder: Path) -> dict[str, dict[str, str]]:
        """Write `head.npz` into `folder`; return its SHA-256."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / HEAD_FILE
        with path.open("wb") as handle:
            linear = {
                "mean": self.mean.astype(np.float64),
                "scale": self.scale.astype(np.float64),
                "coef": self.coef.astype(np.float64),
                "intercept": self.intercept.astype(np.float64),
            }
            if self.hidden_weights is None or self.hidden_bias is None:
                np.savez(handle, **linear)  # type: ignore[arg-type]  # (numpy's stub: allow_pickle)
            else:
                np.savez(
                    handle,
                    **linear,  # type: ignore[arg-type]
                    # float32 as computed: a 1,024-unit layer is 2 MB instead of 4
                    hidden_weights=self.hidden_weights.astype(np.float32),
                    hidden_bias=self.hidden_bias.astype(np.float32),
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


def load_head(
    folder: Path, n_features: int = EMBEDDING_DIM
) -> tuple[ClassifierHead, dict[str, Any]]:
    """Load a head (over `n_features`-dimensional embeddings) after checking its file against
    its metadata's SHA-256."""
    metadata = read_metadata(folder)
    path = verified_file(folder, HEAD_FILE, metadata)
    with np.load(path, allow_pickle=False) as arrays:
        hidden = "hidden_weights" in arrays.files and "hidden_bias" in arrays.files
        head = ClassifierHead(
            mean=arrays["mean"].astype(np.float32),
            scale=arrays["scale"].astype(np.float32),
            coef=arrays["coef"].astype(np.float32),
            intercept=arrays["intercept"].astype(np.float32),
            hidden_weights=arrays["hidden_weights"].astype(np.float32) if hidden else None,
            hidden_bias=arrays["hidden_bias"].astype(np.float32) if hidden else None,
        )
    if head.n_features != n_features or head.n_features != int(
        metadata.get("n_features", head.n_features)
    ):
        raise ModelIntegrityError(f"{path} does not have the features its metadata describes")
    inner = head.coef.shape[1]
    if head.hidden_weights is None:
        consistent = inner == head.n_features
    else:
        consistent = head.hidden_weights.shape == (inner, head.n_features) and (
            head.hidden_bias is not None and head.hidden_bias.shape == (inner,)
        )
    if not consistent:
        raise ModelIntegrityError(f"{path}: the head's layers do not fit together")
    return head, metadata
