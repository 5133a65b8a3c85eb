"""The daemon's character n-gram part reads texts exactly as scikit-learn's TfidfVectorizer and
LogisticRegression did at training time, and a head with it needs the texts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from moodline.daemon.scoring.char_ngrams import NGRAM_RANGE, CharNgrams, word_ngrams
from moodline.daemon.scoring.hashing import ModelIntegrityError
from moodline.daemon.scoring.head import HEAD_FILE, METADATA_FILE, ClassifierHead, load_head
from moodline.daemon.scoring.heads import multilingual_dir
from moodline.models.multilingual_corpus import load_multilingual
from moodline.models.training import CharNgramConfig, fit_char_ngrams

TEXTS = [
    "Das ist jetzt das DRITTE Mal!!  Unglaublich.",
    "以后再也不坐你们家了，行李丢了一个礼拜没人管",
    "ขอบคุณมากครับ ได้รับของแล้ว",
    "배송이 일주일째 안 오네요. 정말 실망입니다",
    "a b  c\tdé",
    "",
    "   ",
]


def corpus_sample() -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    labels: list[int] = []
    for lines in load_multilingual().values():
        for line in lines[:60]:
            texts.append(line.text)
            labels.append(("negative", "neutral", "positive").index(line.label))
    return texts, np.array(labels)


@pytest.mark.parametrize("text", TEXTS)
def test_ngrams_are_scikit_learns(text: str) -> None:
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE).build_analyzer()
    assert word_ngrams(text) == analyzer(text)


def test_features_and_logits_match_scikit_learn() -> None:
    from sklearn.linear_model import LogisticRegression

    texts, labels = corpus_sample()
    part = fit_char_ngrams(texts, labels, np.ones(len(texts)), CharNgramConfig(min_df=2, weight=1))
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=NGRAM_RANGE, min_df=2, sublinear_tf=True
    )
    expected = vectorizer.fit_transform(texts)
    assert list(vectorizer.get_feature_names_out()) == part.vocabulary.tolist()
    unseen = [*TEXTS, "完全没有用", "Merci beaucoup pour votre aide"]
    for text in texts[:40] + unseen:
        index, values = part.tfidf(text)
        dense = np.zeros(len(part.vocabulary), dtype=np.float32)
        dense[index] = values
        reference = vectorizer.transform([text]).toarray()[0]
        np.testing.assert_allclose(dense, reference, atol=1e-6, err_msg=text)
    model = LogisticRegression(C=16.0, max_iter=5000, random_state=20261122)
    model.fit(expected, labels)
    probe = texts[:40] + unseen
    np.testing.assert_allclose(
        part.logits(probe), model.decision_function(vectorizer.transform(probe)), atol=1e-4
    )


def test_a_text_without_words_gives_the_intercept() -> None:
    texts, labels = corpus_sample()
    part = fit_char_ngrams(texts, labels, np.ones(len(texts)), CharNgramConfig(weight=2.0))
    logits = part.logits(["", " \t "])
    np.testing.assert_allclose(logits, np.tile(2.0 * part.intercept, (2, 1)), atol=1e-6)


def small_head(part: CharNgrams) -> ClassifierHead:
    rng = np.random.default_rng(4)
    return ClassifierHead(
        mean=np.zeros(3, np.float32),
        scale=np.ones(3, np.float32),
        coef=rng.normal(size=(3, 3)).astype(np.float32),
        intercept=np.zeros(3, np.float32),
        lexical=part,
    )


def test_a_head_with_ngrams_round_trips_and_needs_the_texts(tmp_path: Path) -> None:
    texts, labels = corpus_sample()
    head = small_head(fit_char_ngrams(texts, labels, np.ones(len(texts))))
    files = head.save(tmp_path)
    (tmp_path / METADATA_FILE).write_text(json.dumps({"files": files, "n_features": 3}))
    loaded, _ = load_head(tmp_path, n_features=3)
    assert loaded.kind == "logistic+char-ngrams"
    x = np.random.default_rng(1).normal(size=(len(TEXTS), 3)).astype(np.float32)
    np.testing.assert_allclose(loaded.probabilities(x, TEXTS), head.probabilities(x, TEXTS))
    with pytest.raises(ValueError, match="texts"):
        loaded.probabilities(x)
    soft = loaded.with_temperature(4.0)
    assert (soft.labels(x, TEXTS) == loaded.labels(x, TEXTS)).all()
    assert soft.lexical is not None and head.lexical is not None
    assert soft.lexical.weight == pytest.approx(head.lexical.weight / 4)


def test_an_incomplete_ngram_part_is_refused(tmp_path: Path) -> None:
    texts, labels = corpus_sample()
    head = small_head(fit_char_ngrams(texts, labels, np.ones(len(texts))))
    head.save(tmp_path)
    with np.load(tmp_path / HEAD_FILE, allow_pickle=False) as arrays:
        kept = {k: arrays[k] for k in arrays.files if k != "lexical_idf"}
    np.savez(tmp_path / HEAD_FILE, **kept)
    from moodline.daemon.scoring.hashing import sha256_file

    files = {HEAD_FILE: {"sha256": sha256_file(tmp_path / HEAD_FILE)}}
    (tmp_path / METADATA_FILE).write_text(json.dumps({"files": files, "n_features": 3}))
    with pytest.raises(ModelIntegrityError, match="incomplete"):
        load_head(tmp_path, n_features=3)


def test_the_shipped_multilingual_head_reads_ngrams() -> None:
    head, metadata = load_head(multilingual_dir(), n_features=512)
    assert head.lexical is not None
    assert len(head.lexical.vocabulary) == metadata["head"]["char_ngrams"]["vocabulary"]
    assert metadata["head"]["kind"] == head.kind == "mlp+char-ngrams"
