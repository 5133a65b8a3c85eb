"""The "why" of a level: the messages in the current window, most influential first, then the
recent customer messages that were not scored (another language) and so do not count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moodline.daemon.levels import Level, level_for_score

TEXT_LIMIT = 120
RECENT_MESSAGES = 10  # how far back not-scored customer messages are listed


@dataclass(frozen=True)
class WhyRow:
    message_id: str
    text: str
    score: float  # the message's own score (after any correction)
    level: Level  # the level that score alone would have
    contribution: float  # its share of the window score
    corrected_label: str | None
    not_scored: str | None = None  # why it does not count, in words ("not scored: language es")
    language: str = "en"  # the language it was scored in
    path: str = "english"  # which encoder and head scored it ("english" or "multilingual")

    @property
    def scored_in(self) -> str | None:
        """ "es · multilingual" for a message scored in another language; None for English."""
        return None if self.language == "en" else f"{self.language} · {self.path}"

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
                language=str(sentiment.get("language", "en")),
                path=str(sentiment.get("path", "english")),
            )
        )
    rows.sort(key=lambda r: abs(r.contribution), reverse=True)
    in_window = {r.message_id for r in rows}
    for message in detail.get("messages", [])[-RECENT_MESSAGES:]:
        skipped = message.get("not_scored")
        if message.get("role") != "customer" or not skipped or message["id"] in in_window:
            continue
        rows.append(
            WhyRow(
                message_id=message["id"],
                text=str(message.get("text", "")),
                score=0.0,
                level=Level.NEUTRAL,
                contribution=0.0,
                corrected_label=skipped.get("corrected_label"),
                not_scored=f"not scored: {skipped['reason']} {skipped.get('language', '')}".strip(),
            )
        )
    return rows
