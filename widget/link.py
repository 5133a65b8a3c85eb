"""The widget's connection to the daemon: WebSocket events and snapshots, with reconnect backoff.

An asyncio loop (aiohttp) runs in a background thread; results reach Qt as signals, which Qt
queues onto the GUI thread. The widget may start before or after the daemon and survives its
restarts: every failure goes back to "disconnected" and retries with exponential backoff.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import aiohttp
from PySide6.QtCore import QObject, Signal

API_HEADER = "X-Moodline-API"


class ConnectionState(StrEnum):
    DISCONNECTED = "disconnected"
    STARTING = "starting"
    READY = "ready"
    PAUSED = "paused"
    NO_TOKEN = "no_token"  # noqa: S105 - a state name, not a secret


class Backoff:
    """0.5 s, 1 s, 2 s ... up to `maximum`, with ±10 % jitter; `reset` after a success."""

    def __init__(self, initial: float = 0.5, maximum: float = 15.0) -> None:
        self.initial, self.maximum = initial, maximum
        self._next = initial

    def next(self) -> float:
        delay = self._next
        self._next = min(self.maximum, self._next * 2)
        return delay * random.uniform(0.9, 1.1)

    def reset(self) -> None:
        self._next = self.initial


@dataclass(frozen=True)
class Download:
    path: Path
    size: int  # bytes written
    rows: int | None  # messages, when the daemon said


class DaemonLink(QObject):
    """Keeps a live link to the daemon and reports state, snapshots and events as signals."""

    stateChanged = Signal(str)  # noqa: N815 - Qt naming
    snapshot = Signal(list)
    received = Signal(dict)

    def __init__(
        self, port: int, token: Callable[[], str | None], backoff: Backoff | None = None
    ) -> None:
        super().__init__()
        self.port = port
        self._token = token
        self._backoff = backoff or Backoff()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.state = ConnectionState.DISCONNECTED

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="moodline-link", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        loop = self._loop
        if loop is not None and loop.is_running():
            for task in asyncio.all_tasks(loop):
                loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(5)

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> concurrent.futures.Future[dict[str, Any]]:
        """Call the daemon's API from any thread; the future holds the decoded JSON answer."""
        loop = self._loop
        if loop is None or not loop.is_running():
            failed: concurrent.futures.Future[dict[str, Any]] = concurrent.futures.Future()
            failed.set_exception(ConnectionError("not linked to the daemon"))
            return failed
        return asyncio.run_coroutine_threadsafe(self._request(method, path, body), loop)

    def download(
        self, path: str, destination: Path, progress: Callable[[int, int | None], None]
    ) -> concurrent.futures.Future[Download]:
        """Stream a GET answer (an export) into `destination` from the link's thread, calling
        `progress(bytes_so_far, total_or_None)` as it goes; the file appears only when complete."""
        loop = self._loop
        if loop is None or not loop.is_running():
            failed: concurrent.futures.Future[Download] = concurrent.futures.Future()
            failed.set_exception(ConnectionError("not linked to the daemon"))
            return failed
        return asyncio.run_coroutine_threadsafe(self._download(path, destination, progress), loop)

    async def _download(
        self, path: str, destination: Path, progress: Callable[[int, int | None], None]
    ) -> Download:
        token = await asyncio.to_thread(self._token) or ""
        partial = destination.with_name(destination.name + ".part")
        done = 0
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                f"{self.base_url}{path}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=aiohttp.ClientTimeout(total=None, sock_read=60),
            ) as response,
        ):
            if response.status >= 400:
                answer = await response.json(content_type=None)
                raise ConnectionError(answer.get("message", f"HTTP {response.status}"))
            total = response.content_length
            rows = response.headers.get("X-Moodline-Export-Rows")
            try:
                with partial.open("wb") as out:
                    async for chunk in response.content.iter_chunked(64 * 1024):
                        out.write(chunk)
                        done += len(chunk)
                        progress(done, total)
                partial.replace(destination)
            finally:
                partial.unlink(missing_ok=True)
        return Download(destination, done, int(rows) if rows and rows.isdigit() else None)

    async def _request(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        token = await asyncio.to_thread(self._token) or ""
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method,
                f"{self.base_url}{path}",
                json=body if body is not None else {},
                headers={"Authorization": f"Bearer {token}"},
                timeout=aiohttp.ClientTimeout(total=10),
            ) as response,
        ):
            answer: dict[str, Any] = await response.json()
            if response.status >= 400:
                raise ConnectionError(answer.get("message", f"HTTP {response.status}"))
            return answer

    def _set_state(self, state: ConnectionState) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state.value)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        with contextlib.suppress(asyncio.CancelledError):
            self._loop.run_until_complete(self._keep_linked())
        self._loop.close()

    async def _keep_linked(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session:
            while not self._stopping.is_set():
                with contextlib.suppress(TimeoutError, aiohttp.ClientError, OSError, ValueError):
                    await self._link_once(session)
                if self._stopping.is_set():
                    return
                if self.state not in (ConnectionState.STARTING, ConnectionState.NO_TOKEN):
                    self._set_state(ConnectionState.DISCONNECTED)
                await asyncio.sleep(
                    0.5 if self.state == ConnectionState.STARTING else self._backoff.next()
                )

    async def _link_once(self, session: aiohttp.ClientSession) -> None:
        token = await asyncio.to_thread(self._token)
        if not token:
            self._set_state(ConnectionState.NO_TOKEN)
            return
        headers = {"Authorization": f"Bearer {token}"}
        async with session.get(
            f"{self.base_url}/v1/health", timeout=aiohttp.ClientTimeout(total=5)
        ) as response:
            if response.headers.get(API_HEADER) != "1":
                raise ValueError("not a Moodline API v1 daemon")
            health = await response.json()
        if not health.get("ready"):
            self._set_state(ConnectionState.STARTING)
            return
        async with session.ws_connect(f"{self.base_url}/v1/events", heartbeat=20) as ws:
            await ws.send_str(json.dumps({"type": "auth", "token": token}))
            hello = await ws.receive_json(timeout=10)
            if hello.get("type") != "hello":
                raise ValueError("daemon refused the widget's token")
            self._backoff.reset()
            await self._load_snapshot(session, headers)
            self._set_state(
                ConnectionState.PAUSED if hello.get("paused") else ConnectionState.READY
            )
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                self._on_event(json.loads(message.data))

    async def _load_snapshot(self, session: aiohttp.ClientSession, headers: dict[str, str]) -> None:
        async with session.get(f"{self.base_url}/v1/conversations", headers=headers) as response:
            body: dict[str, Any] = await response.json()
        self.snapshot.emit(body.get("conversations", []))
        if body.get("focus"):
            self.received.emit({"type": "focus", "conversation_id": body["focus"]})
        async with session.get(f"{self.base_url}/v1/settings", headers=headers) as response:
            settings: dict[str, Any] = await response.json()
        if response.status == 200:
            self.received.emit({"type": "settings", "settings": settings})

    def _on_event(self, event: dict[str, Any]) -> None:
        if event.get("type") == "status" and "paused" in event:
            self._set_state(ConnectionState.PAUSED if event["paused"] else ConnectionState.READY)
        self.received.emit(event)
