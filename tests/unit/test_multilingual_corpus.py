"""The multilingual chat corpus: every language the issue names has at least 300 natively written,
labelled, distinct messages; a fifth of each is its suite, fixed by a hash, never trained on."""

from __future__ import annotations

import json
import re

import pytest

from moodline.models import regression_dir
from moodline.models.multilingual_corpus import labelled, load_multilingual

REQUIRED = ("es", "de", "fr", "pt", "it", "nl", "pl", "tr", "ru", "ar", "zh", "ja")
CORPUS = load_multilingual()


def _key(text: str) -> str:
    """Lower-cased words without punctuation (the text itself when it is only punctuation)."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip() or text.strip()


@pytest.mark.parametrize("language", REQUIRED)
def test_each_required_language_has_300_distinct_labelled_messages(language: str) -> None:
    lines = CORPUS.get(language, [])
    assert len(lines) >= 300, f"{language}: {len(lines)} messages"
    assert len({_key(line.text) for line in lines}) == len(lines), "duplicate messages"
    labels = {line.label for line in lines}
    assert labels == {"negative", "neutral", "positive"}
    assert {line.language for line in lines} == {language}


@pytest.mark.parametrize("language", sorted(CORPUS))
def test_a_fifth_is_the_suite_and_never_in_training(language: str) -> None:
    lines = CORPUS[language]
    suite = labelled(lines, in_suite=True, name="suite")
    train = labelled(lines, in_suite=False, name="train")
    assert 0.12 <= len(suite) / len(lines) <= 0.28
    assert not {_key(t) for t in suite.texts} & {_key(t) for t in train.texts}


def test_no_line_repeats_a_regression_suite_line() -> None:
    records = [
        json.loads(line)
        for path in regression_dir().glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts = [r["text"] for r in records if "text" in r]
    texts += [turn["text"] for r in records for turn in r.get("turns", [])]
    suites = {_key(text) for text in texts}
    clashes = [
        line.text for lines in CORPUS.values() for line in lines if _key(line.text) in suites
    ]
    assert clashes == []
