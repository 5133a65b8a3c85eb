"""The customer-service chat corpus written in this project (models/data/corpus/*.jsonl)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moodline.models.datasets import (
    LABEL_INDEX,
    DataFileError,
    LabelledSet,
    in_holdout,
    records_from_jsonl,
)

CORPUS_DIR = Path(__file__).resolve().parent / "data" / "corpus"
DEV_SHARE = 0.1  # a tenth of every industry is held out as the corpus's own dev set
FIELDS = ("text", "label", "industry", "phenomenon", "position")


@dataclass
class CorpusMessage:
    text: str
    label: str
    industry: str
    phenomenon: str
    position: str


@dataclass
class Corpus:
    """All corpus messages, with the training / held-out split decided by a hash of the text."""

    messages: list[CorpusMessage] = field(default_factory=list)

    def part(self, held_out: bool) -> list[CorpusMessage]:
        return [m for m in self.messages if is_held_out(m.text) == held_out]

    def labelled(self, held_out: bool, name: str) -> LabelledSet:
        result = LabelledSet(name)
        for message in self.part(held_out):
            result.add(message.text, message.label)
        return result

    def counts(self) -> dict[str, Any]:
        """Counts per industry x label, per phenomenon, and of the held-out part."""
        per_industry: dict[str, Counter[str]] = {}
        for m in self.messages:
            per_industry.setdefault(m.industry, Counter())[m.label] += 1
        return {
            "messages": len(self.messages),
            "held_out": len(self.part(held_out=True)),
            "labels": dict(Counter(m.label for m in self.messages)),
            "industries": {k: dict(v) for k, v in sorted(per_industry.items())},
            "phenomena": dict(sorted(Counter(m.phenomenon for m in self.messages).items())),
        }


def is_held_out(text: str) -> bool:
    return in_holdout("corpus:" + text.strip().lower(), DEV_SHARE)


def load_corpus(folder: Path = CORPUS_DIR) -> Corpus:
    """Every `*.jsonl` file of the corpus folder; a clear error names a malformed line."""
    corpus = Corpus()
    for path in sorted(folder.glob("*.jsonl")):
        for number, record in records_from_jsonl(path):
            if record.get("label") not in LABEL_INDEX or not str(record.get("text", "")).strip():
                raise DataFileError(f"{path}:{number}: needs a text and a known label")
            corpus.messages.append(CorpusMessage(*(str(record.get(k, "")) for k in FIELDS)))
    if not corpus.messages:
        raise DataFileError(f"{folder}: no corpus files")
    return corpus
