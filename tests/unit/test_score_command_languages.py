"""`moodline score --conversation` routes a short line by its own conversation's language, as the
daemon does (the scorer itself is recorded here; the daemon's path is tested through the API)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from moodline.commands.score import score_conversations
from moodline.daemon.scoring.language import LanguageCheck
from moodline.daemon.scoring.scorer import Assessment, NotScored
from moodline.daemon.settings import Settings


class RecordingScorer:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def assess_many(
        self, texts: Sequence[str], checks: Sequence[LanguageCheck] | None = None
    ) -> list[Assessment]:
        assert checks is not None and len(checks) == len(texts)
        self.seen += [(t, c.language) for t, c in zip(texts, checks, strict=True)]
        return [NotScored(c.language) for c in checks]


def test_each_conversation_keeps_its_own_language() -> None:
    lines = [
        ("de", "Meine Bestellung ist seit zwei Wochen unterwegs und niemand antwortet."),
        ("en", "my parcel has been stuck in the depot for a week now"),
        ("de", "Vielen Dank!"),
        ("en", "Vielen Dank!"),
    ]
    stdin = io.StringIO(
        "".join(
            json.dumps({"conversation_id": c, "role": "customer", "text": t}) + "\n"
            for c, t in lines
        )
    )
    scorer = RecordingScorer()
    score_conversations(scorer, Settings(), stdin, io.StringIO(), batch=2)  # type: ignore[arg-type]
    assert [language for _, language in scorer.seen] == ["de", "en", "de", "en"]
