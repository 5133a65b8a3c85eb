"""The service thread: one worker thread for all service work (model and SQLite off the loop)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class ServiceThread:
    """Runs work on the single service thread, so the service is only ever used from there."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="moodline-service")

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, work, *args)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
