"""Loaders for the labelled data: the shared public sets, project chat sets, and team files."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from moodline.daemon.scoring.head import LABELS

LABEL_INDEX = {name: i for i, name in enumerate(LABELS)}
_GOEMOTIONS_GROUP = {1: "negative", 2: "neutral", 3: "positive"}  # 0 = ambiguous, dropped


@dataclass
class LabelledSet:
    """Texts with 3-class labels (indices into `LABELS`)."""

    name: str
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)

    def add(self, text: str, label: str) -> None:
        self.texts.append(text)
        self.labels.append(LABEL_INDEX[label])

    def __len__(self) -> int:
        return len(self.texts)


class DataFileError(ValueError):
    """A labelled data file is malformed; the message names the line and field."""


def goemotions_group(path: Path, name: str) -> LabelledSet:
    """GoEmotions grouped labels; rows that are ambiguous or mix polarities are left out."""
    result = LabelledSet(name)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            groups = {_GOEMOTIONS_GROUP.get(int(x)) for x in parts[1].split(",")} - {None}
            if len(groups) == 1:
                (label,) = groups
                assert label is not None
                result.add(parts[0], label)
    return result


def in_holdout(key: str, share: float = 0.2) -> bool:
    digest = hashlib.sha256(key.encode()).digest()
    return digest[0] / 256.0 < share


def vader_ground_truth(folder: Path) -> tuple[LabelledSet, LabelledSet]:
    """VADER's human-rated snippets (-4..4) as 3 classes, split 80/20 by a hash of the id.

    Mean rating <= -1 negative, >= 1 positive, |r| < 0.5 neutral; in-between rows are dropped.
    """
    train, held_out = LabelledSet("vader-train"), LabelledSet("vader-heldout")
    for path in sorted(folder.glob("*_GroundTruth.txt")):
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    continue
                rating = float(parts[1])
                if rating <= -1.0:
                    label = "negative"
                elif rating >= 1.0:
                    label = "positive"
                elif abs(rating) < 0.5:
                    label = "neutral"
                else:
                    continue
                target = held_out if in_holdout(f"{path.name}:{parts[0]}") else train
                target.add(parts[2], label)
    return train, held_out


def tweeteval(folder: Path, split: str) -> LabelledSet:
    """TweetEval sentiment (`val` or `test`): 0 negative, 1 neutral, 2 positive."""
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").splitlines()
    result = LabelledSet(f"tweeteval-{split}")
    for text, label in zip(texts, labels, strict=True):
        result.texts.append(text)
        result.labels.append(int(label))
    return result


def records_from_jsonl(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    """(line number, object) for each non-empty line; a clear error names a malformed one."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFileError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise DataFileError(f"{path}:{number}: expected a JSON object")
            yield number, record


def _records_from_csv(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "label"} - set(reader.fieldnames or [])
        if missing:
            raise DataFileError(f"{path}:1: header lacks column(s) {', '.join(sorted(missing))}")
        for row in reader:
            yield reader.line_num, dict(row)


def labelled_file(path: Path, name: str | None = None) -> LabelledSet:
    """A team's CSV (header `text,label`) or JSONL (`{"text", "label"}`) of chat messages."""
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records = _records_from_csv(path)
    elif suffix in {".jsonl", ".ndjson"}:
        records = records_from_jsonl(path)
    else:
        raise DataFileError(f"{path}: unsupported file type {suffix!r} (use .csv or .jsonl)")
    result = LabelledSet(name or path.stem)
    for number, record in records:
        text, label = record.get("text"), record.get("label")
        if not isinstance(text, str) or not text.strip():
            raise DataFileError(f"{path}:{number}: field 'text' must be a non-empty string")
        if not isinstance(label, str) or label.strip().lower() not in LABEL_INDEX:
            raise DataFileError(
                f"{path}:{number}: field 'label' must be one of {', '.join(LABELS)}, got {label!r}"
            )
        result.add(text, label.strip().lower())
    if not result:
        raise DataFileError(f"{path}: no labelled messages found")
    return result


def label_text_tsv(path: Path, name: str) -> LabelledSet:
    """`label<TAB>text` files (Topical-Chat turns, XED English lines): three-class labels."""
    result = LabelledSet(name)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            label, _, text = line.rstrip("\n").partition("\t")
            if not text.strip():
                continue
            if label not in LABEL_INDEX:
                raise DataFileError(f"{path}:{number}: unknown label {label!r}")
            result.add(text, label)
    return result


def split_by_hash(
    dataset: LabelledSet, share: float, suffixes: tuple[str, str]
) -> tuple[LabelledSet, LabelledSet]:
    """Two parts of a set, decided by a hash of each text (stable across runs and machines)."""
    kept, held = LabelledSet(dataset.name + suffixes[0]), LabelledSet(dataset.name + suffixes[1])
    for text, label in zip(dataset.texts, dataset.labels, strict=True):
        target = held if in_holdout(text.strip().lower(), share) else kept
        target.texts.append(text)
        target.labels.append(label)
    return kept, held


def vader_ratings(folder: Path) -> tuple[list[str], list[float]]:
    """VADER's training-split snippets (the 80 % `vader_ground_truth` trains on, every row, the
    in-between ones too) with their mean human rating scaled to [-1, 1]: how strongly people
    felt each one, for calibrating how far a score goes."""
    texts, ratings = [], []
    for path in sorted(folder.glob("*_GroundTruth.txt")):
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3 and not in_holdout(f"{path.name}:{parts[0]}"):
                    texts.append(parts[2])
                    ratings.append(max(-1.0, min(1.0, float(parts[1]) / 4.0)))
    return texts, ratings
