"""Chooses the multilingual path's head by cross-validation on the training part only.

Run: `.venv/bin/python -m moodline.models.select_multilingual_head --data-root ../shared/data`
(needs the `train` extra; embeddings come from the same cache as `train_multilingual`). Each
language's training part (never its suite, never XED) is split in three folds by a hash of the
text; every candidate head is trained on the English sets plus two folds and judged on the third,
by the mean over languages of the macro-F1 on that fold. It prints a table; the choice is written
into `train_multilingual.py` by hand, with its figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Callable

import numpy as np

from moodline.daemon.scoring.head import ClassifierHead
from moodline.models import recipe
from moodline.models.train_multilingual import (
    open_workbench,
    progress,
)
from moodline.models.training import HeadConfig, MlpConfig, fit_head, fit_mlp_head

FOLDS = 3
Fit = Callable[[np.ndarray, np.ndarray, np.ndarray], ClassifierHead]
CANDIDATES: dict[str, Fit] = {
    "logistic C=1": lambda x, y, w: fit_head(x, y, w, HeadConfig(c=recipe.HEAD_C)),
    "mlp 128 alpha=1e-2": lambda x, y, w: fit_mlp_head(x, y, w, MlpConfig(128, 1e-2)),
    "mlp 256 alpha=1e-3": lambda x, y, w: fit_mlp_head(x, y, w, MlpConfig(256, 1e-3)),
    "mlp 256 alpha=1e-2": lambda x, y, w: fit_mlp_head(x, y, w, MlpConfig(256, 1e-2)),
    "mlp 256 alpha=1e-1": lambda x, y, w: fit_mlp_head(x, y, w, MlpConfig(256, 1e-1)),
    "mlp 512 alpha=1e-2": lambda x, y, w: fit_mlp_head(x, y, w, MlpConfig(512, 1e-2)),
    "mlp 512 alpha=1e-1": lambda x, y, w: fit_mlp_head(x, y, w, MlpConfig(512, 1e-1)),
    "mlp 1024 alpha=1e-2": lambda x, y, w: fit_mlp_head(x, y, w, MlpConfig(1024, 1e-2)),
    "mlp 256 alpha=1e-2, 120 epochs": lambda x, y, w: fit_mlp_head(
        x, y, w, MlpConfig(256, 1e-2, epochs=120)
    ),
}


def fold_of(text: str) -> int:
    return int(hashlib.sha256(f"fold:{text}".encode()).hexdigest()[:8], 16) % FOLDS


def main(argv: list[str] | None = None) -> int:
    from sklearn.metrics import f1_score

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="candidate names to run (default: all)")
    opened = open_workbench(parser, argv)
    if opened is None:
        return 2
    bench, args = opened
    corpus, rows = bench.corpus, bench.rows
    x, y, w = rows.x, rows.y, rows.w
    language = np.array([name.removesuffix("-train") for name in rows.names])
    is_multilingual = np.isin(language, sorted(corpus))
    fold = np.array([fold_of(t) for t in rows.texts])
    results: dict[str, dict[str, object]] = {}
    for name, fit in CANDIDATES.items():
        if args.only and name not in args.only:
            continue
        per_language: dict[str, list[float]] = {}
        started = time.perf_counter()
        for k in range(FOLDS):
            held = is_multilingual & (fold == k)
            head = fit(x[~held], y[~held], w[~held])
            predicted = head.labels(x[held])
            for code in sorted(set(language[held])):
                rows = language[held] == code
                score = f1_score(y[held][rows], predicted[rows], average="macro")
                per_language.setdefault(code, []).append(float(score))
            progress(f"{name}: fold {k + 1}/{FOLDS} done")
        means = {str(code): round(float(np.mean(s)), 3) for code, s in per_language.items()}
        results[name] = {
            "mean_macro_f1": round(float(np.mean(list(means.values()))), 4),
            "lowest": min(means, key=means.__getitem__),
            "per_language": means,
            "seconds": round(time.perf_counter() - started),
        }
        progress(f"{name}: {results[name]}")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
