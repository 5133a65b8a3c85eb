"""The history store: conversations, messages, window states and corrections in SQLite."""
