"""Chooses the multilingual head's character n-gram part by cross-validation on the training part.

Run: `.venv/bin/python -m moodline.models.select_lexical_part --data-root ../shared/data` (needs
the `train` extra; a few minutes on 2 cores). The same three folds as `select_multilingual_head`:
the shipped perceptron's recipe is trained on the English sets plus two folds of each language's
training part, an n-gram part (`training.fit_char_ngrams`) on the same two folds (and the English
chat data), and each candidate weight of the n-gram logits is judged on the third fold by the mean
over languages of the macro-F1. It prints a table; the choice is written into
`train_multilingual.py` by hand, with its figures.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from moodline.models.select_multilingual_head import FOLDS, fold_of
from moodline.models.train_multilingual import (
    ENGLISH_CHAT_PARTS,
    ENGLISH_LEXICAL_WEIGHT,
    HEAD,
    open_workbench,
    prepared,
    progress,
)
from moodline.models.training import CharNgramConfig, fit_char_ngrams, fit_mlp_head

CONFIGS = [CharNgramConfig(min_df=m, c=c, weight=1.0) for m in (2, 3) for c in (4.0, 16.0, 64.0)]
WEIGHTS = (0.0, 1.0, 1.5, 2.0, 3.0, 4.0)


def main(argv: list[str] | None = None) -> int:
    from sklearn.metrics import f1_score

    parser = argparse.ArgumentParser(description=__doc__)
    opened = open_workbench(parser, argv)
    if opened is None:
        return 2
    bench, _ = opened
    corpus, rows = bench.corpus, bench.rows
    x, y, w = rows.x, rows.y, rows.w
    texts = np.array(prepared(rows.texts), dtype=object)
    language = np.array([name.removesuffix("-train") for name in rows.names])
    is_multilingual = np.isin(language, sorted(corpus))
    english_chat = np.isin(rows.names, ENGLISH_CHAT_PARTS)
    fold = np.array([fold_of(t) for t in rows.texts])

    perceptron = np.zeros((len(y), 3))
    for k in range(FOLDS):
        held = is_multilingual & (fold == k)
        head = fit_mlp_head(x[~held], y[~held], w[~held], HEAD)
        perceptron[held] = np.log(head.probabilities(x[held]) + 1e-9)
        progress(f"perceptron: fold {k + 1}/{FOLDS} done")

    def per_language(log_probabilities: np.ndarray) -> dict[str, float]:
        predicted = log_probabilities.argmax(axis=1)
        return {
            code: round(float(f1_score(y[rows], predicted[rows], average="macro")), 3)
            for code in sorted(corpus)
            for rows in [is_multilingual & (language == code)]
        }

    results: dict[str, object] = {}
    for config in CONFIGS:
        ngram_logits = np.zeros((len(y), 3))
        for k in range(FOLDS):
            held = is_multilingual & (fold == k)
            train = (is_multilingual & ~held) | english_chat
            weights = np.where(is_multilingual[train], 1.0, ENGLISH_LEXICAL_WEIGHT)
            part = fit_char_ngrams(list(texts[train]), y[train], weights, config)
            ngram_logits[held] = part.logits(list(texts[held]))
        for weight in WEIGHTS:
            # the perceptron's log-probabilities plus the n-gram logits: the same arg-max as the
            # shipped head's summed logits (a log-softmax only shifts each row)
            scores = per_language(perceptron + weight * ngram_logits)
            name = f"min_df={config.min_df} C={config.c} weight={weight}"
            results[name] = {
                "mean_macro_f1": round(float(np.mean(list(scores.values()))), 4),
                "lowest": min(scores, key=scores.__getitem__),
                "per_language": scores,
            }
            progress(f"{name}: {results[name]}")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
