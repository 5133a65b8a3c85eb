"""The classifier head: standardised embedding -> softmax over negative/neutral/positive, in numpy.

A multinomial logistic regression, or (the multilingual path's shipped head) the same after one
hidden ReLU layer, optionally with character n-gram evidence from the text itself added to its
logits (`char_ngrams.py`). Heads are trained with scikit-learn (see `models/training.py`) and
saved as NPZ parameters plus a JSON metadata file carrying their SHA-256; loading checks the
hash, and nothing is unpickled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon.scoring.char_ngrams import PREFIX as LEXICAL_PREFIX
from moodline.daemon.scoring.char_ngrams import CharNgrams
from moodline.daemon.scoring.encoders import EMBEDDING_DIM
from moodline.daemon.scoring.hashing import ModelIntegrityError, sha256_file

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
HEAD_FILE = "head.npz"
METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class ClassifierHead:
    """Softmax over the standardised sentence embedding: a linear layer (`coef`, `intercept`),
    after a hidden ReLU layer when `hidden_weights` is set (a one-hidden-layer perceptron); when
    `lexical` is set, its character n-gram logits over the message's text are added (and the
    text must then be given with the embeddings)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (3, n_features), or (3, n_hidden) after a hidden layer
    intercept: np.ndarray  # (3,)
    hidden_weights: np.ndarray | None = None  # (n_hidden, n_features)
    hidden_bias: np.ndarray | None = None  # (n_hidden,)
    lexical: CharNgrams | None = None

    def labels(self, embeddings: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Arg-max label indices for embeddings (and their texts, for a head with `lexical`)."""
        return np.asarray(self.probabilities(embeddings, texts).argmax(axis=1))

    def probabilities(self, features: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Class probabilities (rows sum to 1) in the order of `LABELS`. `texts`, the prepared
        texts the embeddings were made from, are needed when the head has a `lexical` part."""
        z = (features - self.mean) / self.scale
        if self.hidden_weights is not None and self.hidden_bias is not None:
            z = np.maximum(z @ self.hidden_weights.T + self.hidden_bias, 0.0)
        logits = z @ self.coef.T + self.intercept
        if self.lexical is not None:
            if texts is None or len(texts) != len(features):
                raise ValueError("this head reads the texts too: pass one per embedding")
            logits = logits + self.lexical.logits(texts)
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
        kind = "logistic" if self.hidden_weights is None else "mlp"
        return kind if self.lexical is None else f"{kind}+char-ngrams"

    def with_temperature(self, temperature: float) -> ClassifierHead:
        """The same head with its logits divided by `temperature` (the same labels, softer or
        sharper probabilities)."""
        return replace(
            self,
            coef=(self.coef / temperature).astype(np.float32),
            intercept=(self.intercept / temperature).astype(np.float32),
            lexical=None if self.lexical is None else self.lexical.scaled(1.0 / temperature),
        )

    def with_lexical(self, lexical: CharNgrams | None) -> ClassifierHead:
        """The same head with `lexical` as its character n-gram part."""
        return replace(self, lexical=lexical)

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
                **({} if self.lexical is None else self.lexical.arrays()),
            }
            # An n-gram vocabulary compresses well (4.1 MB -> see the card); the rest barely does.
            save = np.savez if self.lexical is None else np.savez_compressed
            if self.hidden_weights is None or self.hidden_bias is None:
                save(handle, **linear)  # type: ignore[arg-type]  # (numpy's stub: allow_pickle)
            else:
                save(
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
        try:
            lexical = CharNgrams.from_arrays(
                {name: arrays[name] for name in arrays.files if name.startswith(LEXICAL_PREFIX)}
            )
        except ValueError as exc:
            raise ModelIntegrityError(f"{path}: {exc}") from exc
        head = head.with_lexical(lexical)
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
