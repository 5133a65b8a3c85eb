"""In-memory windows for many conversations (for `moodline score --conversation` and evaluation)."""

from __future__ import annotations

from typing import Any

from moodline.daemon.levels import Level
from moodline.daemon.scoring.window import WindowConfig, WindowItem, aggregate


class ConversationWindows:
    """The daemon's window logic per conversation, without storage."""

    def __init__(self, config: WindowConfig) -> None:
        self.config = config
        self._items: dict[str, list[WindowItem]] = {}
        self._levels: dict[str, Level] = {}

    def add(self, conversation_id: str, item: WindowItem | None) -> dict[str, Any]:
        """Add a customer message (or None for an agent turn); return the window state."""
        items = self._items.setdefault(conversation_id, [])
        if item is not None:
            items.append(item)
            del items[: -self.config.size]
        state = aggregate(items, self._levels.get(conversation_id, Level.NEUTRAL), self.config)
        self._levels[conversation_id] = state.level
        return {"conversation_id": conversation_id, **state.to_dict()}
