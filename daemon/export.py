"""Export of the stored history as CSV or JSON lines (used by `moodline export` and the API)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from moodline.daemon.store.filters import ConversationFilter
from moodline.daemon.store.history import HistoryStore

EXPORT_FORMATS = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
COLUMNS = (
    "conversation_id",
    "site",
    "url",
    "title",
    "message_id",
    "role",
    "text",
    "ts",
    "received_at",
    "label",
    "score",
    "confidence",
    "uncertain",
    "language",
    "path",
    "not_scored",
    "corrected_label",
)


def export_lines(
    store: HistoryStore,
    fmt: str,
    since: float | None,
    until: float | None = None,
    which: ConversationFilter | None = None,
) -> Iterator[str]:
    """Lines of the export, header first for CSV: messages received in [since, until) of the
    conversations `which` selects (all by default)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        yield buffer.getvalue()
        for row in store.export_rows(since, until, which):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            yield buffer.getvalue()
    elif fmt == "jsonl":
        for row in store.export_rows(since, until, which):
            yield json.dumps(row, ensure_ascii=False) + "\n"
    else:
        raise ValueError(f"unknown export format {fmt!r}")
