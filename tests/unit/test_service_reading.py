"""The service's intake: a duplicate is ignored, a known id with new text is refused and counted
(not stored, not scored) unless it is a verified edit, and personal data is redacted before
storage while the model scores the original words."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from moodline.daemon.api_models import MessagesRequest
from moodline.daemon.live import ReadingLog
from moodline.daemon.privacy.policy import RedactionPolicy
from moodline.daemon.privacy.redaction import CARD, EMAIL
from moodline.daemon.results import ID_REUSED, Refusal
from moodline.daemon.scoring.encoders import OnnxEncoder
from moodline.daemon.scoring.heads import load_shipped_head
from moodline.daemon.scoring.scorer import MessageScore, MessageScorer
from moodline.daemon.service import SentimentService
from moodline.daemon.settings import Settings
from moodline.daemon.store.history import HistoryStore

CARD_TEXT = "I was charged twice on 4111 1111 1111 1111, reply to ann.lee@example.com, awful"


class RecordingEncoder:
    """The real encoder, remembering every text the model was asked to read."""

    name = "recording"

    def __init__(self, encoder: OnnxEncoder) -> None:
        self.encoder = encoder
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.encoder.encode(texts)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def encoder(fast_encoder: OnnxEncoder) -> RecordingEncoder:
    return RecordingEncoder(fast_encoder)


@pytest.fixture
def service(tmp_path: Path, encoder: RecordingEncoder) -> SentimentService:
    head, _ = load_shipped_head()
    return SentimentService(
        HistoryStore(tmp_path / "history.sqlite3"),
        MessageScorer(encoder, head),
        Settings().window_config(),
        Clock(),
        RedactionPolicy(enabled=True, phone_region="US"),
    )


def request(
    conversation: str, *messages: tuple[str, str, str], site: str = "console.example", **extra: Any
) -> MessagesRequest:
    return MessagesRequest.model_validate(
        {
            "conversation_id": conversation,
            "source": {"site": site},
            "messages": [{"id": i, "role": role, "text": text} for i, role, text in messages],
            **extra,
        }
    )


def texts(service: SentimentService, conversation: str) -> dict[str, str]:
    return {m.id: m.text for m in service.conversation_detail(conversation).messages}


def test_same_id_same_text_is_a_plain_duplicate(service: SentimentService) -> None:
    service.ingest(request("c", ("m1", "customer", "my parcel is late")))
    again = service.ingest(request("c", ("m1", "customer", "my parcel is late")))
    assert (again.stored, again.duplicates, again.refused, again.edited) == (0, 1, (), 0)
    assert again.reading == () and service.store.reading_problems("c") == []


def test_a_wrong_id_attribute_is_refused_counted_and_not_lost_in_silence(
    service: SentimentService, encoder: RecordingEncoder
) -> None:
    """The issue's case: a set-up read the author-role attribute as the id, so every message
    arrives with the id `customer` or `agent`."""
    chat = [
        ("customer" if i % 2 == 0 else "agent", "customer" if i % 2 == 0 else "agent", f"line {i}")
        for i in range(18)
    ]
    first = service.ingest(request("wrong-id", *chat))
    assert first.stored == 2 and first.duplicates == 0
    assert first.refused == tuple(Refusal(mid) for mid, _, _ in chat[2:])
    assert {r.reason for r in first.refused} == {"id_reused_with_new_text"}
    assert texts(service, "wrong-id") == {"customer": "line 0", "agent": "line 1"}
    assert "line 2" not in encoder.seen, "a refused message is never scored"
    (problem,) = first.reading
    assert (problem.site, problem.problem, problem.count) == ("console.example", ID_REUSED, 16)
    assert problem.last_message_id == "agent"
    later = service.ingest(request("wrong-id", ("customer", "customer", "line 18")))
    assert later.reading[0].count == 17 and later.state.conversation.reading_problems == 17
    log = ReadingLog()
    log.load(service.recent_reading_problems())
    (summary,) = log.summary(service.clock()) or []
    assert (summary.site, summary.count) == ("console.example", 17)


def test_counts_are_kept_per_conversation_and_site(service: SentimentService) -> None:
    for conversation, site in (("a", "one.example"), ("b", "one.example"), ("c", "two.example")):
        service.ingest(request(conversation, ("x", "agent", "hello"), site=site))
        service.ingest(request(conversation, ("x", "agent", "hello again"), site=site))
    service.ingest(request("c", ("x", "agent", "third words"), site="two.example"))
    counts = {c: service.store.reading_problems(c)[0].count for c in "abc"}
    assert counts == {"a": 1, "b": 1, "c": 2}
    log = ReadingLog()
    assert log.summary(service.clock()) is None, "unknown until the history is read"
    log.load(service.recent_reading_problems())
    summary = {s.site: s.count for s in log.summary(service.clock()) or []}
    assert summary == {"one.example": 2, "two.example": 2}
    later = service.ingest(request("a", ("x", "agent", "new words"), site="one.example"))
    log.note(later.reading)
    summary = {s.site: s.count for s in log.summary(service.clock()) or []}
    assert summary == {"one.example": 3, "two.example": 2}, "the newest counter replaces"
    assert log.summary(service.clock() + 2 * 86400) == [], "it covers the last 24 hours"
    service.clock.now += 2 * 86400  # type: ignore[attr-defined]
    assert service.recent_reading_problems() == []


def test_a_verified_edit_replaces_the_text_and_keeps_the_old_score_in_the_timeline(
    service: SentimentService,
) -> None:
    happy = service.ingest(request("e", ("m1", "customer", "thanks, that fixed it, brilliant!")))
    service.correct("e", "m1", "positive")
    edited = service.ingest(
        request("e", ("m1", "customer", "no, it broke again, useless"), ids_verified=True)
    )
    assert (edited.stored, edited.edited, edited.refused) == (0, 1, ())
    (scored,) = edited.scored
    assert isinstance(scored.assessment, MessageScore) and scored.assessment.score < 0
    detail = service.conversation_detail("e")
    (message,) = detail.messages
    assert message.text == "no, it broke again, useless" and message.edited_at is not None
    assert message.corrected_label is None, "a correction of the old words no longer applies"
    scores = [entry.state.score for entry in detail.timeline]
    assert len(scores) == 3 and scores[0] == happy.state.window.score > 0 and scores[-1] < 0
    assert service.store.reading_problems("e") == []


def test_new_text_is_refused_without_verified_ids_or_with_another_role(
    service: SentimentService,
) -> None:
    service.ingest(request("r", ("m1", "customer", "hello")))
    unverified = service.ingest(request("r", ("m1", "customer", "goodbye")))
    other_role = service.ingest(request("r", ("m1", "agent", "goodbye"), ids_verified=True))
    assert unverified.refused == other_role.refused == (Refusal("m1"),)
    assert unverified.edited == other_role.edited == 0
    assert texts(service, "r") == {"m1": "hello"}
    assert service.store.reading_problems("r")[0].count == 2


def test_collisions_within_one_batch_are_refused_too(service: SentimentService) -> None:
    first, second = service.ingest_many(
        [request("b", ("m1", "customer", "one")), request("b", ("m1", "customer", "two"))]
    )
    assert first.stored == 1 and second.refused == (Refusal("m1"),)
    assert texts(service, "b") == {"m1": "one"}


def test_personal_data_is_redacted_in_storage_but_the_original_is_scored(
    service: SentimentService, encoder: RecordingEncoder
) -> None:
    result = service.ingest(request("p", ("m1", "customer", CARD_TEXT)))
    stored = texts(service, "p")["m1"]
    assert stored == f"I was charged twice on {CARD}, reply to {EMAIL}, awful"
    assert any("4111 1111 1111 1111" in seen for seen in encoder.seen), "scored the original"
    service.correct("p", "m1", "negative")
    assert service.store.corrections()[0]["text"] == stored, "training examples are redacted"
    export = "".join(service.export("jsonl"))
    assert "4111 1111" not in export and "ann.lee" not in export
    again = service.ingest(request("p", ("m1", "customer", CARD_TEXT)))
    assert again.duplicates == 1 and again.refused == (), "a resend is still a duplicate"
    assert result.stored == 1


def test_redaction_can_be_turned_off_and_resends_stay_duplicates(
    service: SentimentService,
) -> None:
    service.ingest(request("p", ("m1", "customer", CARD_TEXT)))
    service.configure(
        Settings().window_config(), 0.5, RedactionPolicy(enabled=False, phone_region="US")
    )
    service.ingest(request("p", ("m2", "customer", CARD_TEXT)))
    assert texts(service, "p")["m2"] == CARD_TEXT
    resent = service.ingest(request("p", ("m1", "customer", CARD_TEXT)))
    assert resent.duplicates == 1 and resent.refused == (), "stored redacted, sent plain"
    service.configure(Settings().window_config(), 0.5, RedactionPolicy(phone_region="US"))
    back_on = service.ingest(request("p", ("m2", "customer", CARD_TEXT)))
    assert back_on.duplicates == 1 and back_on.refused == (), "stored plain, now redacting"
