"""Every labelled set Moodline trains or evaluates on, loaded by name, with where it came from."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from moodline.models import chat_seed_file, datasets, regression_dir
from moodline.models.corpus import CORPUS_DIR, load_corpus
from moodline.models.datasets import LabelledSet

REGRESSION_DIR = regression_dir()
# Where the labelled public data sets are (`../shared/data` beside a checkout). Never guessed from
# where this code is installed: `--data-root` or this variable.
TRAINING_DATA_ENV = "MOODLINE_TRAINING_DATA"


def add_data_root_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-root",
        default=os.environ.get(TRAINING_DATA_ENV) or None,
        help="the labelled public data sets, e.g. ../shared/data beside the checkout "
        f"(default: ${TRAINING_DATA_ENV})",
    )


def parse_training_args(
    parser: argparse.ArgumentParser, argv: list[str] | None
) -> argparse.Namespace | None:
    """Add `--data-root` to a training script's `parser` and parse `argv`; None (after printing
    why, in one line) when the data root is missing or holds no public data."""
    add_data_root_argument(parser)
    args = parser.parse_args(argv)
    problem = data_root_problem(args.data_root)
    if problem:
        print(problem, file=sys.stderr)
        return None
    return args


def data_root_problem(value: str | None) -> str | None:
    """Why `--data-root` can't be used, in one line; None when it holds the public data."""
    advice = "pass --data-root ../shared/data (the labelled public data beside the checkout)"
    if not value:
        return f"no training data given: {advice} or set {TRAINING_DATA_ENV}"
    if not (Path(value) / "goemotions").is_dir():
        return f"no training data at {value}: {advice}"
    return None


@dataclass(frozen=True)
class TrainingSource:
    """A training set with its provenance (for the card and metadata)."""

    data: LabelledSet
    path: Path
    source: str
    licence: str


def training_sources(root: Path) -> dict[str, TrainingSource]:
    """The candidate training sets, by name; `root` is `--data-root` (../shared/data)."""
    vader_train, _ = datasets.vader_ground_truth(root / "vader-groundtruth")
    corpus = load_corpus()
    topical = datasets.label_text_tsv(root / "topical-chat/train.tsv", "topical-chat-train")
    topical_dev = datasets.label_text_tsv(root / "topical-chat/dev.tsv", "topical-chat-dev")
    topical.texts += topical_dev.texts
    topical.labels += topical_dev.labels
    xed_train, _ = _xed_english(root)
    return {
        "corpus": TrainingSource(
            corpus.labelled(held_out=False, name="corpus-train"),
            CORPUS_DIR,
            "models/data/corpus (90 % by text hash)",
            "Apache-2.0 (written in this project)",
        ),
        "chat-seed": TrainingSource(
            datasets.labelled_file(chat_seed_file(), "chat-seed"),
            chat_seed_file(),
            "models/data/chat_seed.jsonl",
            "Apache-2.0 (written in this project)",
        ),
        "goemotions": TrainingSource(
            datasets.goemotions_group(root / "goemotions/group/train.tsv", "goemotions-train"),
            root / "goemotions/group/train.tsv",
            "shared/data/goemotions/group/train.tsv",
            "Apache-2.0",
        ),
        "vader": TrainingSource(
            vader_train,
            root / "vader-groundtruth",
            "shared/data/vader-groundtruth (80 % split by id hash)",
            "MIT",
        ),
        "topical-chat": TrainingSource(
            topical,
            root / "topical-chat",
            "shared/data/topical-chat train.tsv + dev.tsv",
            "CDLA-Sharing-1.0",
        ),
        "xed-en": TrainingSource(
            xed_train,
            root / "xed-en/train.tsv",
            "shared/data/xed-en/train.tsv (80 % by text hash)",
            "CC BY 4.0",
        ),
    }


def _xed_english(root: Path) -> tuple[LabelledSet, LabelledSet]:
    """XED English has no official splits: 80 % to train on, 20 % held out, by text hash."""
    return datasets.split_by_hash(
        datasets.label_text_tsv(root / "xed-en/train.tsv", "xed-en"), 0.2, ("-train", "-heldout")
    )


def xed_english_heldout(root: Path) -> LabelledSet:
    """XED English's held-out fifth: never trained on by either path."""
    return _xed_english(root)[1]


def dev_sets(root: Path) -> dict[str, LabelledSet]:
    """The sets a model is judged on (never trained on), by name."""
    _, vader_heldout = datasets.vader_ground_truth(root / "vader-groundtruth")
    _, xed_heldout = _xed_english(root)
    return {
        "goemotions-dev": datasets.goemotions_group(
            root / "goemotions/group/dev.tsv", "goemotions-dev"
        ),
        "tweeteval-val": datasets.tweeteval(root / "tweeteval-sentiment", "val"),
        "tweeteval-test": datasets.tweeteval(root / "tweeteval-sentiment", "test"),
        "vader-heldout": vader_heldout,
        "topical-chat-test": datasets.label_text_tsv(
            root / "topical-chat/test.tsv", "topical-chat-test"
        ),
        "xed-en-heldout": xed_heldout,
        "corpus-dev": load_corpus().labelled(held_out=True, name="corpus-dev"),
        "chat-regression": datasets.labelled_file(
            REGRESSION_DIR / "chat_messages.jsonl", "chat-regression"
        ),
        "hard-regression": datasets.labelled_file(
            REGRESSION_DIR / "hard_messages.jsonl", "hard-regression"
        ),
    }
