"""Which training sets help: a logistic-regression head on an encoder's embeddings, trained on the
project's chat data plus each public set in turn, scored on every dev set. Prints a table.

Run: `.venv/bin/python -m moodline.models.data_ablation --data-root ../shared/data
[--encoder-onnx FILE --tokenizer FILE]` (MOODLINE_TRAINING_DATA may stand for `--data-root`; the
default encoder is the shipped one). Embeddings are cached in .cache/embeddings in the current
folder (`--cache`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from moodline.daemon.scoring.encoders import ENCODER_FILE, TOKENIZER_FILE, OnnxEncoder
from moodline.models import shipped_head_dir
from moodline.models.sources import (
    dev_sets,
    parse_training_args,
    training_sources,
)
from moodline.models.training import cached_embeddings, metrics

CHAT_WEIGHT = 3.0  # the project's chat data counts three times a public row
PUBLIC = ("goemotions", "vader", "topical-chat", "xed-en")


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def fit_and_score(
    parts: list[str],
    train: dict[str, tuple[np.ndarray, np.ndarray]],
    dev: dict[str, tuple[np.ndarray, np.ndarray]],
) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([train[p][0] for p in parts])
    y = np.concatenate([train[p][1] for p in parts])
    w = np.concatenate(
        [np.full(len(train[p][1]), 1.0 if p in PUBLIC else CHAT_WEIGHT) for p in parts]
    )
    model = LogisticRegression(C=2.0, max_iter=3000, class_weight="balanced")
    model.fit(x, y, sample_weight=w)
    return {
        name: metrics(labels.tolist(), model.predict(xd).tolist())["macro_f1"]
        for name, (xd, labels) in dev.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encoder-onnx", default=str(shipped_head_dir() / ENCODER_FILE))
    parser.add_argument("--tokenizer", default=str(shipped_head_dir() / TOKENIZER_FILE))
    parser.add_argument("--cache", default=str(Path(".cache") / "embeddings"))
    args = parse_training_args(parser, argv)
    if args is None:
        return 2
    root, cache = Path(args.data_root), Path(args.cache)
    encoder = OnnxEncoder(Path(args.encoder_onnx), Path(args.tokenizer), threads=2)
    encoder.name = "onnx:" + Path(args.encoder_onnx).name
    sources = training_sources(root)
    train = {
        name: (
            cached_embeddings(encoder, s.data.texts, cache, progress, name),
            np.array(s.data.labels),
        )
        for name, s in sources.items()
    }
    dev = {
        name: (cached_embeddings(encoder, d.texts, cache, progress, name), np.array(d.labels))
        for name, d in dev_sets(root).items()
    }
    chat = ["corpus", "chat-seed"]
    mixes = {
        "chat only": chat,
        **{f"chat + {p}": [*chat, p] for p in PUBLIC},
        "chat + all public": [*chat, *PUBLIC],
        **{f"all - {p}": [*chat, *(q for q in PUBLIC if q != p)] for p in PUBLIC},
        "public only": list(PUBLIC),
    }
    names = list(dev)
    print("| training mix | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for label, parts in mixes.items():
        scores = fit_and_score(parts, train, dev)
        print(f"| {label} | " + " | ".join(f"{scores[n]:.3f}" for n in names) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
