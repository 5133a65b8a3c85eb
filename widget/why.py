"""The "why" of a level: the messages in the current window, most influential first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moodline.daemon.levels import Level, level_for_score

TEXT_LIMIT = 120


@dataclass(frozen=True)
class WhyRow:
    message_id: str
    text: str
    score: float  # the message's own score (after any correction)
    level: Level  # the level that score alone would have
    contribution: float  # its share of the window score
    corrected_label: str | None

    @property
    def short_text(self) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= TEXT_LIMIT else flat[: TEXT_LIMIT - 1] + "…"


def why_rows(detail: dict[str, Any]) -> list[WhyRow]:
    """Rows for `GET /v1/conversations/{id}`: the window's messages by |contribution|."""
    texts = {m["id"]: m for m in detail.get("messages", [])}
    rows = []
    for entry in detail.get("window", []):
        message = texts.get(entry["message_id"], {})
        sentiment = message.get("sentiment") or {}
        rows.append(
            WhyRow(
                message_id=entry["message_id"],
                text=str(message.get("text", "")),
                score=float(entry["score"]),
                level=level_for_score(float(entry["score"])),
                contribution=float(entry["contribution"]),
                corrected_label=sentiment.get("corrected_label"),
            )
        )
    return sorted(rows, key=lambda r: abs(r.contribution), reverse=True)
