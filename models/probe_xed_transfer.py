"""Measures how far the multilingual path's XED figure moves with the data allowed to train on.

Run: `.venv/bin/python -m moodline.models.probe_xed_transfer --data-root ../shared/data` (needs
the `train` extra; about fifteen minutes on 2 cores the first time, embeddings cached). Each
variant trains the perceptron alone (the n-gram part reads only the chat corpus's words) and
prints the two-way macro-F1 on XED's English held-out lines and on the nine target languages'
projections, the share of the English figure the nine keep, and the chat suites. Variants:
- the shipped recipe;
- the public sets (GoEmotions, VADER: the data nearest to emotional speech) weighted x4, x12;
- distillation: the English path's labels on English text it was not trained on (GoEmotions
  rows beyond the recipe's cap, Topical-Chat train and dev), weighted by its confidence.
No variant trains on XED. It ships nothing: it is the evidence behind the card's XED limit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moodline.daemon.scoring.head import LABELS, ClassifierHead
from moodline.models import train_multilingual as multilingual
from moodline.models.datasets import label_text_tsv
from moodline.models.multilingual_corpus import labelled
from moodline.models.recipe import XED_TARGET_LANGUAGES
from moodline.models.training import fit_mlp_head

PUBLIC_PARTS = ("goemotions-train", "vader-train")


@dataclass(frozen=True)
class Check:
    """Embeddings and gold labels of one evaluation set."""

    x: np.ndarray
    y: np.ndarray


def _two_way(head: ClassifierHead, check: Check) -> float:
    return multilingual.two_way_macro_f1(head.probabilities(check.x), list(check.y))


def _macro_f1(head: ClassifierHead, check: Check) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(check.y, head.labels(check.x), average="macro"))


def unlabelled_english(root: Path, used: set[str]) -> list[str]:
    """English text neither head trained on: GoEmotions train rows past the cap (any label,
    ambiguous ones included) and Topical-Chat train and dev turns."""
    texts: list[str] = []
    with (root / "goemotions/group/train.tsv").open(encoding="utf-8") as handle:
        texts += [line.split("\t")[0].strip() for line in handle]
    for split in ("train", "dev"):
        with (root / f"topical-chat/{split}.tsv").open(encoding="utf-8") as handle:
            texts += [line.rstrip("\n").partition("\t")[2] for line in handle]
    return [t for t in dict.fromkeys(texts) if t and t not in used]


def teacher_labels(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The English path's label and confidence for each text."""
    scorer = multilingual.english_scorer()
    rows: list[list[float]] = []
    for start in range(0, len(texts), 1024):
        scores = scorer.score_many(texts[start : start + 1024])
        rows += [[s.negative, s.neutral, s.positive] for s in scores]
        multilingual.progress(f"English path labels: {start + len(scores)}/{len(texts)}")
    probabilities = np.array(rows)
    return probabilities.argmax(axis=1), probabilities.max(axis=1)


def report(
    name: str,
    head: ClassifierHead,
    xed: dict[str, Check],
    english: Check,
    suites: dict[str, Check],
) -> None:
    on_english = _two_way(head, english)
    nine = [_two_way(head, xed[language]) for language in XED_TARGET_LANGUAGES]
    suite = [_macro_f1(head, check) for check in suites.values()]
    print(
        f"| {name} | {on_english:.3f} | {min(nine):.3f} / {np.mean(nine):.3f} / {max(nine):.3f} "
        f"| {np.mean(nine) / on_english:.0%} | {min(suite):.3f} / {np.mean(suite):.3f} |",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    opened = multilingual.open_workbench(argparse.ArgumentParser(description=__doc__), argv)
    if opened is None:
        return 2
    bench, _ = opened
    root, rows, embed = bench.root, bench.rows, bench.embed

    xed: dict[str, Check] = {}
    for language in XED_TARGET_LANGUAGES:
        data = label_text_tsv(root / "xed-projections" / f"{language}.tsv", f"xed-{language}")
        gold = np.array([LABELS[label] for label in data.labels])
        xed[language] = Check(embed(data.texts, data.name), gold)
    texts, names = multilingual.two_way_lines(root)
    english = Check(embed(texts, "xed-en-heldout-two-way"), np.array(names))
    suites: dict[str, Check] = {}
    for language, lines in sorted(bench.corpus.items()):
        suite = labelled(lines, in_suite=True, name=f"{language}-suite")
        suites[language] = Check(embed(suite.texts, suite.name), np.array(suite.labels))

    pool = unlabelled_english(root, set(rows.texts))
    pool_labels, pool_confidence = teacher_labels(pool)
    pool_x = embed(pool, "xed-probe-unlabelled-english")
    public = np.isin(rows.names, PUBLIC_PARTS)

    def public_times(factor: float) -> Callable[[], ClassifierHead]:
        weights = np.where(public, rows.w * factor, rows.w)
        return lambda: fit_mlp_head(rows.x, rows.y, weights, multilingual.HEAD)

    def distilled(weight: float) -> Callable[[], ClassifierHead]:
        x = np.vstack([rows.x, pool_x])
        y = np.concatenate([rows.y, pool_labels])
        w = np.concatenate([rows.w, weight * pool_confidence])
        return lambda: fit_mlp_head(x, y, w, multilingual.HEAD)

    variants: dict[str, Callable[[], ClassifierHead]] = {
        "shipped recipe": public_times(1.0),
        "public sets x4": public_times(4.0),
        "public sets x12": public_times(12.0),
        f"distilled, {len(pool)} rows x0.25": distilled(0.25),
        f"distilled, {len(pool)} rows x1": distilled(1.0),
    }
    print(
        "| variant (perceptron alone) | XED English lines | nine languages min / mean / max "
        "| kept | chat suites min / mean |\n|---|---|---|---|---|"
    )
    for name, fit in variants.items():
        multilingual.progress(f"fitting: {name}")
        report(name, fit(), xed, english, suites)
    return 0


if __name__ == "__main__":
    sys.exit(main())
