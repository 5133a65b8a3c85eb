"""The history store opens schema 1 and 2 files in place: they gain `messages.edited_at` and the
`reading_problems` table and keep every row; reading problems go with their conversation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from moodline.daemon.store.history import HistoryStore
from moodline.daemon.store.schema import SCHEMA_VERSION

# The tables as Moodline 1 wrote them (schema 2 added messages.language).
OLD_SCHEMA = """
CREATE TABLE conversations (
    id TEXT PRIMARY KEY, site TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, updated_at REAL NOT NULL,
    closed_at REAL, level TEXT NOT NULL DEFAULT 'neutral', score REAL NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0, lowest_level TEXT NOT NULL DEFAULT 'neutral');
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL, ts REAL,
    received_at REAL NOT NULL, p_negative REAL, p_neutral REAL, p_positive REAL, score REAL,
    confidence REAL, label TEXT, uncertain INTEGER, UNIQUE (conversation_id, message_id));
CREATE TABLE window_states (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL, at REAL NOT NULL, level TEXT NOT NULL, score REAL NOT NULL,
    uncertain INTEGER NOT NULL, contributions TEXT NOT NULL);
CREATE TABLE corrections (
    conversation_id TEXT NOT NULL, message_id TEXT NOT NULL, label TEXT NOT NULL,
    text TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (conversation_id, message_id));
INSERT INTO conversations (id, site, created_at, updated_at) VALUES ('c', 'shop', 1.0, 2.0);
INSERT INTO messages (conversation_id, message_id, role, text, received_at)
    VALUES ('c', 'm1', 'agent', 'hello there', 2.0);
"""


def old_store(path: Path, version: int) -> Path:
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    if version == 2:
        db.execute("ALTER TABLE messages ADD COLUMN language TEXT")
    db.execute(f"PRAGMA user_version={version}")
    db.commit()
    db.close()
    return path


def columns(store: HistoryStore, table: str) -> set[str]:
    return {r[1] for r in store._db.execute(f"PRAGMA table_info({table})")}


@pytest.mark.parametrize("version", [1, 2])
def test_older_stores_gain_edits_and_reading_problems(tmp_path: Path, version: int) -> None:
    store = HistoryStore(old_store(tmp_path / "history.sqlite3", version))
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert {"language", "edited_at"} <= columns(store, "messages")
    assert {"conversation_id", "site", "kind", "count", "first_at", "last_at"} <= columns(
        store, "reading_problems"
    )
    (message,) = store.messages("c")
    assert (message.id, message.text, message.edited_at) == ("m1", "hello there", None)
    conversation = store.conversation("c")
    assert conversation is not None and conversation.reading_problems == 0
    problem = store.note_reading_problem("c", "shop", "id_reused_with_new_text", 2, "m1", 5.0)
    assert (problem.count, problem.first_at, problem.last_message_id) == (2, 5.0, "m1")
    store.close()
    reopened = HistoryStore(tmp_path / "history.sqlite3")
    assert [p.count for p in reopened.reading_problems("c")] == [2], "kept on reopening"


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer Moodline"):
        HistoryStore(path)


def test_counters_add_up_and_go_with_their_conversation(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    for conversation, site in (("old", "a.example"), ("new", "b.example")):
        store.ensure_conversation(conversation, {"site": site}, 100.0)
    store.note_reading_problem("old", "a.example", "id_reused_with_new_text", 3, "x", 100.0)
    store.note_reading_problem("old", "a.example", "id_reused_with_new_text", 2, "y", 150.0)
    store.note_reading_problem("new", "b.example", "id_reused_with_new_text", 1, "z", 200.0)
    (old,) = store.reading_problems("old")
    assert (old.count, old.first_at, old.last_at, old.last_message_id) == (5, 100.0, 150.0, "y")
    recent = store.recent_reading_problems(since=120.0)
    assert [(p.conversation_id, p.site, p.count, p.last_at) for p in recent] == [
        ("old", "a.example", 5, 150.0),
        ("new", "b.example", 1, 200.0),
    ]
    store._db.execute("UPDATE conversations SET updated_at = 0 WHERE id = 'old'")
    store.purge(conversations_before=50.0, corrections_before=0.0)
    assert store.reading_problems("old") == [] and len(store.reading_problems("new")) == 1
