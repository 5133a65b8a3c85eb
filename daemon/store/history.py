"""Reads and writes of the history store; every write the daemon acknowledges is committed first."""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moodline.daemon.levels import Level
from moodline.daemon.results import (
    Conversation,
    ConversationSource,
    ReadingProblem,
    StoredMessage,
    TimelineEntry,
)
from moodline.daemon.scoring.multilingual import path_for
from moodline.daemon.scoring.scorer import Assessment, MessageScore, NotScored
from moodline.daemon.scoring.window import Contribution, WindowItem, WindowState
from moodline.daemon.store.filters import ConversationFilter
from moodline.daemon.store.schema import connect

LABEL_SCORES = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}


@dataclass(frozen=True)
class NewMessage:
    message_id: str
    role: str
    text: str
    ts: float | None


class HistoryStore:
    """One SQLite connection, used from one worker thread at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = connect(path)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: a failure inside leaves the store as it was."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # conversations ---------------------------------------------------------------------------

    def ensure_conversation(self, conversation_id: str, source: dict[str, str], now: float) -> None:
        self._db.execute(
            "INSERT INTO conversations (id, site, url, title, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "site = CASE WHEN excluded.site != '' THEN excluded.site ELSE site END, "
            "url = CASE WHEN excluded.url != '' THEN excluded.url ELSE url END, "
            "title = CASE WHEN excluded.title != '' THEN excluded.title ELSE title END, "
            "updated_at = excluded.updated_at, closed_at = NULL",
            (
                conversation_id,
                source.get("site", ""),
                source.get("url", ""),
                source.get("title", ""),
                now,
                now,
            ),
        )

    def conversation(self, conversation_id: str) -> Conversation | None:
        row = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations c WHERE id = ?",  # noqa: S608
            (conversation_id,),
        ).fetchone()
        return _conversation(row) if row else None

    def conversations(
        self, status: str, since: float | None, limit: int, site: str | None = None
    ) -> list[Conversation]:
        return self.find_conversations(ConversationFilter(status, since, site=site), limit)

    def find_conversations(
        self, which: ConversationFilter, limit: int, now: float | None = None
    ) -> list[Conversation]:
        """The conversations `which` selects, most recently active first."""
        where, params = which.where(time.time() if now is None else now)
        rows = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations c WHERE {where} "  # noqa: S608
            "ORDER BY c.updated_at DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [_conversation(r) for r in rows]

    def set_state(self, conversation_id: str, state: WindowState, now: float) -> None:
        row = self._db.execute(
            "SELECT lowest_level FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        lowest = Level(row[0]) if row else state.level
        if state.level.rank < lowest.rank:
            lowest = state.level
        self._db.execute(
            "UPDATE conversations SET level = ?, score = ?, uncertain = ?, updated_at = ?, "
            "lowest_level = ? WHERE id = ?",
            (
                state.level.value,
                state.score,
                int(state.uncertain),
                now,
                lowest.value,
                conversation_id,
            ),
        )

    def close_conversation(self, conversation_id: str, now: float) -> bool:
        cursor = self._db.execute(
            "UPDATE conversations SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (now, conversation_id),
        )
        return cursor.rowcount > 0

    # messages --------------------------------------------------------------------------------

    def stored_texts(
        self, conversation_id: str, message_ids: Sequence[str]
    ) -> dict[str, tuple[str, str]]:
        """The role and stored text of each of `message_ids` already in the conversation."""
        known: dict[str, tuple[str, str]] = {}
        for start in range(0, len(message_ids), 500):
            chunk = list(message_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT message_id, role, text FROM messages WHERE conversation_id = ? "  # noqa: S608
                f"AND message_id IN ({marks})",
                (conversation_id, *chunk),
            )
            known.update((r[0], (r[1], r[2])) for r in rows)
        return known

    def add_message(
        self,
        conversation_id: str,
        message: NewMessage,
        score: Assessment | None,
        now: float,
    ) -> None:
        values = _score_values(score)
        self._db.execute(
            "INSERT INTO messages (conversation_id, message_id, role, text, ts, received_at, "
            "p_negative, p_neutral, p_positive, score, confidence, label, uncertain, language) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                conversation_id,
                message.message_id,
                message.role,
                message.text,
                message.ts,
                now,
                *values,
            ),
        )

    def replace_message(
        self, conversation_id: str, message: NewMessage, score: Assessment | None, now: float
    ) -> None:
        """An edit: the message's new text and scores; an agent's correction of the old words
        no longer applies to it (the words it labelled are gone)."""
        self._db.execute(
            "UPDATE messages SET text = ?, edited_at = ?, p_negative = ?, p_neutral = ?, "
            "p_positive = ?, score = ?, confidence = ?, label = ?, uncertain = ?, language = ? "
            "WHERE conversation_id = ? AND message_id = ?",
            (message.text, now, *_score_values(score), conversation_id, message.message_id),
        )
        self.remove_correction(conversation_id, message.message_id)

    def recent_languages(self, conversation_id: str, count: int) -> list[str]:
        """The languages of the customer's last `count` assessed messages, oldest first."""
        rows = self._db.execute(
            "SELECT language FROM messages WHERE conversation_id = ? AND role = 'customer' "
            "AND language IS NOT NULL ORDER BY seq DESC LIMIT ?",
            (conversation_id, count),
        ).fetchall()
        return [str(r[0]) for r in reversed(rows)]

    def window_items(self, conversation_id: str, size: int) -> list[WindowItem]:
        """The last `size` customer messages that count, oldest first, with corrections applied
        (a message not scored for its language counts only once an agent labels it)."""
        rows = self._db.execute(
            "SELECT m.message_id, m.score, m.uncertain, k.label AS corrected FROM messages m "
            "LEFT JOIN corrections k ON k.conversation_id = m.conversation_id "
            "AND k.message_id = m.message_id "
            "WHERE m.conversation_id = ? AND m.role = 'customer' "
            "AND (m.score IS NOT NULL OR k.label IS NOT NULL) ORDER BY m.seq DESC LIMIT ?",
            (conversation_id, size),
        ).fetchall()
        items = [
            WindowItem(
                message_id=r["message_id"],
                score=LABEL_SCORES[r["corrected"]] if r["corrected"] else float(r["score"]),
                uncertain=bool(r["uncertain"]),
                corrected=r["corrected"] is not None,
            )
            for r in rows
        ]
        items.reverse()
        return items

    def messages(self, conversation_id: str) -> list[StoredMessage]:
        rows = self._db.execute(
            "SELECT m.*, k.label AS corrected_label FROM messages m LEFT JOIN corrections k "
            "ON k.conversation_id = m.conversation_id AND k.message_id = m.message_id "
            "WHERE m.conversation_id = ? ORDER BY m.seq",
            (conversation_id,),
        ).fetchall()
        return [_stored_message(r) for r in rows]

    def message(self, conversation_id: str, message_id: str) -> StoredMessage | None:
        row = self._db.execute(
            "SELECT m.*, NULL AS corrected_label FROM messages m "
            "WHERE conversation_id = ? AND message_id = ?",
            (conversation_id, message_id),
        ).fetchone()
        return _stored_message(row) if row else None

    # window states ---------------------------------------------------------------------------

    def add_window_state(
        self, conversation_id: str, message_id: str, state: WindowState, now: float
    ) -> None:
        self._db.execute(
            "INSERT INTO window_states (conversation_id, message_id, at, level, score, uncertain, "
            "contributions) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                conversation_id,
                message_id,
                now,
                state.level.value,
                state.score,
                int(state.uncertain),
                json.dumps([c.to_dict() for c in state.contributions]),
            ),
        )

    def timeline(self, conversation_id: str, last_only: bool = False) -> list[TimelineEntry]:
        """Every window state of a conversation, oldest first (or just the newest one)."""
        query = (
            "SELECT message_id, at, level, score, uncertain, contributions FROM window_states "
            "WHERE conversation_id = ? ORDER BY seq"
        )
        if last_only:
            query += " DESC LIMIT 1"
        rows = self._db.execute(query, (conversation_id,)).fetchall()
        return [
            TimelineEntry(
                message_id=r["message_id"],
                at=r["at"],
                state=WindowState(
                    level=Level(r["level"]),
                    score=r["score"],
                    uncertain=bool(r["uncertain"]),
                    contributions=tuple(
                        Contribution(**item) for item in json.loads(r["contributions"])
                    ),
                ),
            )
            for r in rows
        ]

    # corrections -----------------------------------------------------------------------------

    def set_correction(
        self, conversation_id: str, message_id: str, label: str, text: str, now: float
    ) -> None:
        self._db.execute(
            "INSERT INTO corrections (conversation_id, message_id, label, text, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(conversation_id, message_id) DO UPDATE SET "
            "label = excluded.label, created_at = excluded.created_at",
            (conversation_id, message_id, label, text, now),
        )

    def remove_correction(self, conversation_id: str, message_id: str) -> bool:
        cursor = self._db.execute(
            "DELETE FROM corrections WHERE conversation_id = ? AND message_id = ?",
            (conversation_id, message_id),
        )
        return cursor.rowcount > 0

    def corrections(self) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT conversation_id, message_id, label, text, created_at FROM corrections "
            "ORDER BY created_at"
        ).fetchall()
        return [dict(r) for r in rows]

    # reading problems ------------------------------------------------------------------------

    def note_reading_problem(
        self,
        conversation_id: str,
        site: str,
        kind: str,
        count: int,
        last_message_id: str,
        now: float,
    ) -> ReadingProblem:
        """Add `count` to the conversation's counter of `kind` on `site`; the updated counter."""
        self._db.execute(
            "INSERT INTO reading_problems (conversation_id, site, kind, count, first_at, last_at, "
            "last_message_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(conversation_id, site, kind) DO UPDATE SET "
            "count = count + excluded.count, last_at = excluded.last_at, "
            "last_message_id = excluded.last_message_id",
            (conversation_id, site, kind, count, now, now, last_message_id),
        )
        return next(
            p for p in self.reading_problems(conversation_id) if (p.site, p.problem) == (site, kind)
        )

    def reading_problems(self, conversation_id: str) -> list[ReadingProblem]:
        """Every reading problem counted for the conversation, oldest first."""
        return self._reading_problems("conversation_id = ?", conversation_id)

    def recent_reading_problems(self, since: float) -> list[ReadingProblem]:
        """Every conversation's reading problems that last happened at or after `since`."""
        return self._reading_problems("last_at >= ?", since)

    def _reading_problems(self, where: str, value: object) -> list[ReadingProblem]:
        rows = self._db.execute(
            f"SELECT * FROM reading_problems WHERE {where} ORDER BY first_at",  # noqa: S608
            (value,),
        ).fetchall()
        return [
            ReadingProblem(
                conversation_id=r["conversation_id"],
                site=r["site"],
                problem=r["kind"],
                count=r["count"],
                first_at=r["first_at"],
                last_at=r["last_at"],
                last_message_id=r["last_message_id"],
            )
            for r in rows
        ]

    # retention -------------------------------------------------------------------------------

    def expired(self, conversations_before: float) -> list[str]:
        """The ids of the conversations `purge` would delete at this cut-off."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT id FROM conversations WHERE updated_at < ?", (conversations_before,)
            )
        ]

    def purge(self, conversations_before: float, corrections_before: float) -> dict[str, int]:
        """Delete conversations last updated before the cut-off, with their messages and states."""
        with self.transaction():
            old = self.expired(conversations_before)
            counts = {"conversations": len(old), "messages": 0, "corrections": 0}
            for conversation_id in old:
                for table in ("messages", "window_states", "reading_problems"):
                    cursor = self._db.execute(
                        f"DELETE FROM {table} WHERE conversation_id = ?",  # noqa: S608
                        (conversation_id,),
                    )
                    if table == "messages":
                        counts["messages"] += cursor.rowcount
                self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            counts["corrections"] = self._db.execute(
                "DELETE FROM corrections WHERE created_at < ?", (corrections_before,)
            ).rowcount
        return counts

    def export_rows(
        self,
        since: float | None,
        until: float | None = None,
        which: ConversationFilter | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored messages received in [since, until) of the conversations `which` selects (all
        by default) with their conversation, oldest first, for CSV/JSONL export."""
        where, params = (which or ConversationFilter()).where(time.time())
        query = (
            "SELECT m.conversation_id, c.site, c.url, c.title, m.message_id, m.role, m.text, m.ts, "
            "m.received_at, m.label, m.score, m.confidence, m.uncertain, m.language, "
            "CASE WHEN m.role = 'customer' AND m.score IS NULL AND m.language IS NOT NULL "
            "THEN 'language' END AS not_scored, k.label AS corrected_label "
            "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
            "LEFT JOIN corrections k ON k.conversation_id = m.conversation_id "
            "AND k.message_id = m.message_id "
            "WHERE m.received_at >= ? AND m.received_at < ? AND " + where + " ORDER BY m.seq"
        )
        rows = self._db.execute(
            query, (since or 0.0, math.inf if until is None else until, *params)
        )
        for row in rows:
            record: dict[str, Any] = {}
            for key, value in dict(row).items():
                record[key] = value
                if key == "language":  # which path scored it, beside its language
                    scored = row["score"] is not None
                    record["path"] = path_for(value or "en") if scored else None
            yield record


_CONVERSATION_COLUMNS = (
    "id, site, url, title, created_at, updated_at, closed_at, level, score, uncertain, "
    "lowest_level, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS messages, "
    "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id AND m.role = 'customer') "
    "AS customer_messages, "
    "(SELECT COALESCE(SUM(r.count), 0) FROM reading_problems r "
    "WHERE r.conversation_id = c.id) AS reading_problems"
)


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        conversation_id=row["id"],
        source=ConversationSource(site=row["site"], url=row["url"], title=row["title"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        closed_at=row["closed_at"],
        level=Level(row["level"]),
        score=row["score"],
        uncertain=bool(row["uncertain"]),
        lowest_level=Level(row["lowest_level"]),
        message_count=row["messages"],
        customer_message_count=row["customer_messages"],
        reading_problems=row["reading_problems"],
    )


def _assessment(row: sqlite3.Row) -> Assessment | None:
    """A customer message's stored scores, or why it was not scored (None: an agent's)."""
    if row["role"] != "customer":
        return None
    if row["score"] is not None:
        return MessageScore(
            negative=row["p_negative"],
            neutral=row["p_neutral"],
            positive=row["p_positive"],
            score=row["score"],
            confidence=row["confidence"],
            label=row["label"],
            uncertain=bool(row["uncertain"]),
            language=row["language"] or "en",
            path=path_for(row["language"] or "en"),
        )
    if row["language"] is not None:
        return NotScored(row["language"])
    return None


def _stored_message(row: sqlite3.Row) -> StoredMessage:
    return StoredMessage(
        id=row["message_id"],
        role=row["role"],
        text=row["text"],
        ts=row["ts"],
        received_at=row["received_at"],
        assessment=_assessment(row),
        corrected_label=row["corrected_label"],
        edited_at=row["edited_at"],
    )


def _score_values(score: Assessment | None) -> tuple[Any, ...]:
    """The messages table's score columns (p_negative … language) for `score`."""
    if isinstance(score, NotScored):
        return (None,) * 7 + (score.language,)
    if score is None:
        return (None,) * 8
    return (
        score.negative,
        score.neutral,
        score.positive,
        score.score,
        score.confidence,
        score.label,
        int(score.uncertain),
        score.language,
    )
