"""The multilingual customer-service chat corpus written in this project
(models/data/multilingual/<language>.jsonl): a fifth of each language, chosen by a hash of the
text before any training, is that language's regression suite; the rest trains the head."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moodline.models.datasets import (
    LABEL_INDEX,
    DataFileError,
    LabelledSet,
    in_holdout,
    records_from_jsonl,
)

MULTILINGUAL_DIR = Path(__file__).resolve().parent / "data" / "multilingual"
SUITE_SHARE = 0.2
FIELDS = ("text", "label", "industry", "phenomenon", "position", "language")


@dataclass(frozen=True)
class ChatLine:
    text: str
    label: str
    industry: str
    phenomenon: str
    position: str
    language: str

    @property
    def in_suite(self) -> bool:
        """Held out as its language's regression suite (never trained on)."""
        return in_holdout(f"multilingual:{self.language}:{self.text.strip().lower()}", SUITE_SHARE)


def load_multilingual(folder: Path = MULTILINGUAL_DIR) -> dict[str, list[ChatLine]]:
    """Every language's lines, by ISO 639-1 code (the file's name); malformed lines are errors."""
    corpus: dict[str, list[ChatLine]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        language = path.stem
        lines = corpus.setdefault(language, [])
        for number, record in records_from_jsonl(path):
            if record.get("label") not in LABEL_INDEX or not str(record.get("text", "")).strip():
                raise DataFileError(f"{path}:{number}: needs a text and a known label")
            if record.get("language", language) != language:
                raise DataFileError(f"{path}:{number}: language is not {language!r}")
            values = {k: str(record.get(k, "")) for k in FIELDS}
            values["language"] = language
            lines.append(ChatLine(**values))
    return corpus


def labelled(lines: list[ChatLine], in_suite: bool, name: str) -> LabelledSet:
    """The training part (in_suite False) or the suite of one language's lines."""
    result = LabelledSet(name)
    for line in lines:
        if line.in_suite == in_suite:
            result.add(line.text, line.label)
    return result


def counts(corpus: dict[str, list[ChatLine]]) -> dict[str, Any]:
    """Per language: messages, suite size, labels."""
    return {
        language: {
            "messages": len(lines),
            "suite": sum(1 for line in lines if line.in_suite),
            "labels": dict(Counter(line.label for line in lines)),
        }
        for language, lines in sorted(corpus.items())
    }
