"""What the running daemon holds: settings, readiness, the service once loaded, hub, pairing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from moodline.daemon.http.batcher import IngestBatcher
from moodline.daemon.http.errors import ApiError
from moodline.daemon.http.events import EventHub
from moodline.daemon.http.readiness import Readiness
from moodline.daemon.locations import Locations
from moodline.daemon.pairing import PairingCodes
from moodline.daemon.scoring.heads import HeadRegistry
from moodline.daemon.service import SentimentService
from moodline.daemon.settings import Settings

T = TypeVar("T")


@dataclass
class DaemonState:
    settings: Settings
    locations: Locations
    token: str
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="moodline-service")
    )
    readiness: Readiness = field(default_factory=Readiness)
    hub: EventHub = field(default_factory=EventHub)
    pairing: PairingCodes = field(init=False)
    service: SentimentService | None = None
    batcher: IngestBatcher | None = None
    focus: str | None = None
    last_extension_seen: float | None = None

    def __post_init__(self) -> None:
        self.pairing = PairingCodes(lambda: self.token)

    @property
    def heads(self) -> HeadRegistry:
        return HeadRegistry(self.locations.heads)

    def require_service(self) -> SentimentService:
        if self.service is None:
            raise ApiError(
                503, "not_ready", f"the daemon is {self.readiness.status}: {self.readiness.detail}"
            )
        return self.service

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """Run service work on the single service thread (model and SQLite stay off the loop)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, work, *args)


STATE = web.AppKey("state", DaemonState)
