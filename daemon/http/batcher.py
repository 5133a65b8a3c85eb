"""Groups POST /v1/messages requests that arrive together into one encoder batch.

At low load each request is scored alone (no added delay); under load, whatever queued while
the model was busy is scored together, which is several times cheaper per message.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from moodline.daemon.api_models import MessagesRequest
from moodline.daemon.results import IngestResult

MAX_BATCH_REQUESTS = 64
Runner = Callable[[list[MessagesRequest]], Awaitable[list[IngestResult]]]


class IngestBatcher:
    """One consumer task drains the queue and hands each group to `run` (the service thread)."""

    def __init__(self, run: Runner) -> None:
        self._run = run
        self._queue: asyncio.Queue[tuple[MessagesRequest, asyncio.Future[IngestResult]]] = (
            asyncio.Queue()
        )
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._consume())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def submit(self, request: MessagesRequest) -> IngestResult:
        future: asyncio.Future[IngestResult] = asyncio.get_running_loop().create_future()
        await self._queue.put((request, future))
        return await future

    async def _consume(self) -> None:
        while True:
            group = [await self._queue.get()]
            while not self._queue.empty() and len(group) < MAX_BATCH_REQUESTS:
                group.append(self._queue.get_nowait())
            live = [(r, f) for r, f in group if not f.done()]
            if not live:
                continue
            try:
                results = await self._run([r for r, _ in live])
            except Exception as exc:
                if len(live) == 1:
                    live[0][1].set_exception(exc)
                    continue
                # One bad request must not fail the others: retry them one by one.
                for request, future in live:
                    try:
                        (result,) = await self._run([request])
                    except Exception as single:
                        future.set_exception(single)
                    else:
                        future.set_result(result)
                continue
            for (_, future), result in zip(live, results, strict=True):
                if not future.done():
                    future.set_result(result)
