"""The chat corpus written here: size, fields, its README's counts, and no copy of a suite line."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from moodline.models import regression_dir
from moodline.models.corpus import CORPUS_DIR, load_corpus

REPO = Path(__file__).resolve().parents[2]
README = REPO / "models" / "data" / "README.md"
REGRESSION = regression_dir()


def _normalised(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


def _suite_texts() -> list[str]:
    texts = [
        json.loads(line)["text"]
        for name in ("chat_messages.jsonl", "hard_messages.jsonl")
        for line in (REGRESSION / name).read_text(encoding="utf-8").splitlines()
    ]
    for line in (REGRESSION / "conversations.jsonl").read_text(encoding="utf-8").splitlines():
        texts += [t["text"] for t in json.loads(line)["turns"] if t["role"] == "customer"]
    return texts


def test_corpus_is_large_and_covers_twelve_industries() -> None:
    corpus = load_corpus()
    assert len(corpus.messages) >= 10_000
    assert len({m.industry for m in corpus.messages}) >= 12
    assert {m.label for m in corpus.messages} == {"negative", "neutral", "positive"}
    assert all(m.phenomenon and m.position in {"first", "later"} for m in corpus.messages)


def test_no_corpus_line_copies_a_regression_suite_line() -> None:
    suite = {_normalised(t) for t in _suite_texts()} - {""}
    copies = [m.text for m in load_corpus().messages if _normalised(m.text) in suite]
    assert copies == []


def test_readme_counts_match_the_files() -> None:
    readme = README.read_text(encoding="utf-8")
    per_industry: dict[str, Counter[str]] = {}
    for message in load_corpus().messages:
        per_industry.setdefault(message.industry, Counter())[message.label] += 1
    for industry, counts in per_industry.items():
        row = (
            f"| {industry} | {counts['negative']} | {counts['neutral']} | {counts['positive']} | "
            f"{sum(counts.values())} |"
        )
        assert row in readme, row
    assert len(list(CORPUS_DIR.glob("*.jsonl"))) == len(per_industry)
