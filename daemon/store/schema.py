"""The SQLite schema of the history store, and opening a connection with the right pragmas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# 2: messages.language (messages not scored for their language);
# 3: messages.edited_at (edits) and reading_problems (messages refused because reading broke).
SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    closed_at REAL,
    level TEXT NOT NULL DEFAULT 'neutral',
    score REAL NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0,
    lowest_level TEXT NOT NULL DEFAULT 'neutral'
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations(updated_at);

CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
    text TEXT NOT NULL,
    ts REAL,
    received_at REAL NOT NULL,
    p_negative REAL,
    p_neutral REAL,
    p_positive REAL,
    score REAL,
    confidence REAL,
    label TEXT,
    uncertain INTEGER,
    language TEXT,
    edited_at REAL,
    UNIQUE (conversation_id, message_id)
);

CREATE TABLE IF NOT EXISTS window_states (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    at REAL NOT NULL,
    level TEXT NOT NULL,
    score REAL NOT NULL,
    uncertain INTEGER NOT NULL,
    contributions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS window_states_conversation ON window_states(conversation_id, seq);

CREATE TABLE IF NOT EXISTS corrections (
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    label TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
    text TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);

CREATE TABLE IF NOT EXISTS reading_problems (
    conversation_id TEXT NOT NULL,
    site TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_at REAL NOT NULL,
    last_at REAL NOT NULL,
    last_message_id TEXT NOT NULL,
    PRIMARY KEY (conversation_id, site, kind)
);
CREATE INDEX IF NOT EXISTS reading_problems_last ON reading_problems(last_at);
"""

# Columns each older schema lacks, added before SCHEMA runs (its tables are created if absent).
MIGRATIONS = {
    1: ("ALTER TABLE messages ADD COLUMN language TEXT",),
    2: ("ALTER TABLE messages ADD COLUMN edited_at REAL",),
}


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the store in WAL mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode: a commit survives the process being killed (kill -9, crash); only an
    # OS crash or power cut can lose the last transactions. FULL would fsync every commit.
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=5000")
    connection.execute("PRAGMA foreign_keys=ON")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"{path} was written by a newer Moodline (schema {version}); upgrade Moodline"
        )
    if version < SCHEMA_VERSION:
        _upgrade(connection, version)
    return connection


def _upgrade(connection: sqlite3.Connection, version: int) -> None:
    """Bring a new (0) or older store to SCHEMA_VERSION in one transaction: all or nothing."""
    steps = (
        [] if version == 0 else [s for v in range(version, SCHEMA_VERSION) for s in MIGRATIONS[v]]
    )
    script = ";\n".join(
        ["BEGIN IMMEDIATE", *steps, SCHEMA, f"PRAGMA user_version={SCHEMA_VERSION}"]
    )
    try:
        connection.executescript(script + ";\nCOMMIT;")
    except sqlite3.Error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
