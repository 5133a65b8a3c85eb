"""The second scoring path: routing by language, loading only when needed, and what it says."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from moodline.daemon.scoring.head import ClassifierHead
from moodline.daemon.scoring.heads import load_multilingual, load_shipped_head
from moodline.daemon.scoring.multilingual import MULTILINGUAL_DIM, MultilingualPath
from moodline.daemon.scoring.scorer import MessageScore, MessageScorer, NotScored
from tests.support.stub_scorer import StubEncoder

SPANISH = "llevo tres semanas esperando el reembolso y nadie me contesta, es una vergüenza"
GERMAN = "Vielen Dank, jetzt funktioniert alles wieder, super schnell gelöst!"
SWAHILI = "nimesubiri wiki tatu na hakuna mtu amenijibu kuhusu oda yangu"


class PositiveEncoder:
    """Every text is the same vector; the head below reads it as positive."""

    name = "positive"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(texts), MULTILINGUAL_DIM), dtype=np.float32)


def positive_head() -> ClassifierHead:
    coef = np.zeros((3, MULTILINGUAL_DIM), dtype=np.float32)
    coef[2] = 0.01
    zeros = np.zeros(MULTILINGUAL_DIM, dtype=np.float32)
    return ClassifierHead(zeros, zeros + 1, coef, np.zeros(3, dtype=np.float32))


def scorer_with(path: MultilingualPath | None) -> MessageScorer:
    head, _ = load_shipped_head()
    return MessageScorer(StubEncoder(), head, multilingual=path)


def test_each_message_goes_to_its_languages_path() -> None:
    path = MultilingualPath(lambda: (PositiveEncoder(), positive_head()))
    english, spanish, swahili = scorer_with(path).assess_many(
        ["my order never came and nobody answers", SPANISH, SWAHILI]
    )
    assert isinstance(english, MessageScore) and (english.language, english.path) == (
        "en",
        "english",
    )
    assert isinstance(spanish, MessageScore)
    assert (spanish.language, spanish.path, spanish.label) == ("es", "multilingual", "positive")
    assert spanish.to_dict()["path"] == "multilingual" and spanish.to_dict()["language"] == "es"
    assert isinstance(swahili, NotScored)  # a language neither path covers stays not scored


def test_the_path_loads_only_when_a_message_needs_it() -> None:
    calls: list[str] = []

    def load() -> tuple[PositiveEncoder, ClassifierHead]:
        calls.append(threading.current_thread().name)
        return PositiveEncoder(), positive_head()

    path = MultilingualPath(load)
    scorer = scorer_with(path)
    scorer.assess_many(["thanks, that fixed it", "still broken, third time I ask"])
    assert calls == [] and not path.loaded
    scorer.assess_many([GERMAN, SPANISH])
    assert calls == ["multilingual-model"] and path.loaded  # once, off the caller's thread
    scorer.assess_many([GERMAN])
    assert len(calls) == 1


def test_without_a_shipped_path_other_languages_stay_not_scored() -> None:
    assert isinstance(scorer_with(None).assess_many([SPANISH])[0], NotScored)


def test_a_failed_load_is_an_error_not_a_silent_score() -> None:
    def broken() -> tuple[PositiveEncoder, ClassifierHead]:
        raise OSError("weights missing")

    with pytest.raises(OSError, match="weights missing"):
        scorer_with(MultilingualPath(broken)).assess_many([SPANISH])


def test_the_shipped_path_checks_its_encoder_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    from moodline.daemon.scoring import heads
    from moodline.daemon.scoring.hashing import ModelIntegrityError

    encoder, head = load_multilingual()
    assert head.n_features == MULTILINGUAL_DIM
    vectors = encoder.encode([SPANISH, GERMAN])
    assert vectors.shape == (2, MULTILINGUAL_DIM)
    monkeypatch.setattr(heads, "weights_file", lambda: heads.multilingual_dir() / "head.npz")
    with pytest.raises(ModelIntegrityError, match="not the ones"):
        load_multilingual()
