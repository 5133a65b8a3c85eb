"""Fine-tunes the sentence encoder end to end on labelled messages, on the CPU, deterministically.

The objective is cross-entropy through a temporary linear layer over the encoder's own output
(mean-pooled, L2-normalised embedding, scaled), so the encoder learns what separates a customer's
negative, neutral and positive messages; the layer is then thrown away and the shipped head is a
scikit-learn logistic regression fitted on the fine-tuned embeddings (`models/training.py`).
Runs are cached by a hash of the base weights, the data and the settings.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

Progress = Callable[[str], None]
DONE_FILE = "finetune.json"


@dataclass(frozen=True)
class FineTuneConfig:
    """Settings of one fine-tuning run (all of them part of the cache key)."""

    epochs: int = 1
    batch_size: int = 32
    encoder_lr: float = 4e-5
    classifier_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup_share: float = 0.06
    max_seq_length: int = 64
    logit_scale: float = 16.0  # the embedding is unit length: scale it before the linear layer
    seed: int = 20261122
    threads: int = 2


def run_key(base: Path, texts: Sequence[str], labels: Sequence[int], config: FineTuneConfig) -> str:
    """A short hash of everything that decides the fine-tuned weights."""
    digest = hashlib.sha256(json.dumps(asdict(config), sort_keys=True).encode())
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (base / name).is_file():
            digest.update((base / name).read_bytes())
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\x1f{text}\x1e".encode())
    return digest.hexdigest()[:20]


def fine_tune(
    base: Path,
    texts: Sequence[str],
    labels: Sequence[int],
    cache: Path,
    config: FineTuneConfig = FineTuneConfig(),
    progress: Progress = print,
) -> Path:
    """Fine-tune the sentence-transformers model in `base` on (texts, labels); return the folder
    of the fine-tuned model (reused from `cache` when the same run was done before)."""
    target = cache / run_key(base, texts, labels, config)
    if (target / DONE_FILE).is_file():
        progress(f"fine-tuned encoder reused from {target}")
        return target
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    model: Any = SentenceTransformer(str(base), device="cpu")
    model.max_seq_length = config.max_seq_length
    classifier = torch.nn.Linear(model.get_sentence_embedding_dimension(), 3)
    label_array = np.asarray(labels)
    counts = np.bincount(label_array, minlength=3).astype(np.float64)
    # Square-root inverse frequency: the rare class counts more without drowning the others.
    class_weights = torch.tensor((counts.sum() / (3 * np.maximum(counts, 1))) ** 0.5).float()
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weights)
    optimizer = torch.optim.AdamW(
        [
            {"params": model.parameters(), "lr": config.encoder_lr},
            {"params": classifier.parameters(), "lr": config.classifier_lr},
        ],
        weight_decay=config.weight_decay,
    )
    per_epoch = math.ceil(len(texts) / config.batch_size)
    total = per_epoch * config.epochs
    warmup = max(1, int(total * config.warmup_share))

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    rng = np.random.default_rng(config.seed)
    model.train()
    started, step, running = time.perf_counter(), 0, 0.0
    progress(f"fine-tuning on {len(texts)} messages: {total} steps of {config.batch_size}")
    for _epoch in range(config.epochs):
        order = rng.permutation(len(texts))
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            features = _tokenize(model, [texts[i] for i in batch])
            embeddings = model(features)["sentence_embedding"]
            logits = classifier(embeddings * config.logit_scale)
            loss = loss_fn(logits, torch.as_tensor(label_array[batch]))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            value = float(loss.detach())
            running = 0.98 * running + 0.02 * value if step > 1 else value
            if step % 50 == 0 or step == total:
                elapsed = time.perf_counter() - started
                eta = elapsed / step * (total - step)
                progress(
                    f"fine-tuning step {step}/{total}, loss {running:.3f}, "
                    f"{elapsed / 60:.1f} min, about {eta / 60:.1f} min left"
                )
    model.eval()
    staging = target.with_name(target.name + ".partial")
    model.save(str(staging))
    seconds = round(time.perf_counter() - started, 1)
    summary = {"config": asdict(config), "rows": len(texts), "steps": total, "seconds": seconds}
    (staging / DONE_FILE).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    staging.rename(target)
    progress(f"fine-tuned in {seconds / 60:.1f} min: {target}")
    return target


def _tokenize(model: Any, texts: list[str]) -> Any:
    """Token ids for a batch (`preprocess` in newer sentence-transformers, `tokenize` before)."""
    method = getattr(model, "preprocess", None) or model.tokenize
    return method(texts)


def fine_tune_summary(folder: Path) -> dict[str, Any]:
    """What the run that made `folder` did (config, rows, steps, seconds)."""
    data: dict[str, Any] = json.loads((folder / DONE_FILE).read_text(encoding="utf-8"))
    return data
