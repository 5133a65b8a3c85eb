"""The daemon's start-up state, reported by /v1/health: starting, ready or failed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Readiness:
    status: str = "starting"  # starting | ready | failed
    detail: str = "loading the model"
    encoder: str | None = None
    head: str | None = None
    started_at: float = field(default_factory=time.monotonic)
    ready_after_s: float | None = None

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    def mark_ready(self, encoder: str, head: str) -> None:
        self.status, self.detail, self.encoder, self.head = "ready", "ok", encoder, head
        self.ready_after_s = round(time.monotonic() - self.started_at, 3)

    def mark_failed(self, detail: str) -> None:
        self.status, self.detail = "failed", detail
