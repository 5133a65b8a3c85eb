"""The SQLite history store: WAL, idempotency, retention purge, corrections kept separately."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from moodline.daemon.api_models import MessagesRequest
from moodline.daemon.scoring.heads import load_shipped_head
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.service import SentimentService
from moodline.daemon.settings import Settings
from moodline.daemon.store.history import HistoryStore


class ZeroEncoder:
    """Unit-test stand-in: every text gets the same embedding (the real model is tested
    elsewhere); the store is what is under test here."""

    name = "zero"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 384), dtype=np.float32)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def make(tmp_path: Path) -> tuple[SentimentService, Clock]:
    head, _ = load_shipped_head()
    clock = Clock()
    store = HistoryStore(tmp_path / "history.sqlite3")
    return SentimentService(
        store, MessageScorer(ZeroEncoder(), head), Settings().window_config(), clock
    ), clock


def request(conversation: str, *ids: str) -> MessagesRequest:
    return MessagesRequest.model_validate(
        {
            "conversation_id": conversation,
            "messages": [{"id": i, "role": "customer", "text": f"text {i}"} for i in ids],
        }
    )


def test_store_uses_wal(tmp_path: Path) -> None:
    service, _ = make(tmp_path)
    mode = service.store._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_retention_purges_old_conversations_but_keeps_recent(tmp_path: Path) -> None:
    service, clock = make(tmp_path)
    service.ingest(request("old", "1", "2"))
    service.correct("old", "1", "negative")
    clock.now += 40 * 86400
    service.ingest(request("new", "1"))
    counts = service.purge(retention_days=30, corrections_retention_days=365)
    assert counts == {"conversations": 1, "messages": 2, "corrections": 0}
    assert [c.conversation_id for c in service.conversations("all")] == ["new"]
    assert len(service.store.corrections()) == 1, "corrections follow their own retention"
    clock.now += 400 * 86400
    assert service.purge(30, 365)["corrections"] == 1


def test_history_survives_reopening(tmp_path: Path) -> None:
    service, _ = make(tmp_path)
    service.ingest(request("c", "1", "2", "3"))
    service.store.close()
    reopened, _ = make(tmp_path)
    detail = reopened.conversation_detail("c")
    assert [m.id for m in detail.messages] == ["1", "2", "3"]
    assert len(detail.timeline) == 3
    assert reopened.ingest(request("c", "3", "4")).stored == 1


def test_lowest_level_is_remembered(tmp_path: Path) -> None:
    service, _ = make(tmp_path)
    service.ingest(request("c", "1"))
    service.correct("c", "1", "negative")
    service.correct("c", "1", "positive")
    row = service.conversations("all")[0]
    assert row.lowest_level in {"negative", "very_negative", "slightly_negative"}
    assert row.level != row.lowest_level
