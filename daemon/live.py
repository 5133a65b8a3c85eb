"""What the running daemon knows now: its settings, its service once loaded, the agent's focus."""

from __future__ import annotations

from dataclasses import dataclass

from moodline.daemon.service import SentimentService
from moodline.daemon.settings import Settings


class NotLoadedError(RuntimeError):
    """The service (model and store) has not loaded (yet)."""


@dataclass
class LiveSettings:
    """The settings in force; replaced as a whole when they change (readers see one version)."""

    current: Settings


@dataclass
class ServiceSlot:
    """The service, once the model and the store have loaded."""

    service: SentimentService | None = None

    def require(self) -> SentimentService:
        if self.service is None:
            raise NotLoadedError("the model has not loaded")
        return self.service


@dataclass
class Activity:
    """What the clients told the daemon: the conversation in focus, when the extension was seen."""

    focus: str | None = None
    extension_seen_at: float | None = None
