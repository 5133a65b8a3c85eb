"""The WebSocket event hub: authenticated sockets receive every pushed event as JSON."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import WSCloseCode, web

from moodline.daemon.events import Event
from moodline.daemon.http import wire

log = logging.getLogger(__name__)


class EventHub:
    """Fans events out to connected, authenticated WebSockets; a socket that lags is closed."""

    def __init__(self, queue_size: int = 256) -> None:
        self._clients: dict[web.WebSocketResponse, asyncio.Queue[str]] = {}
        self._queue_size = queue_size
        self._tasks: set[asyncio.Task[Any]] = set()
        self._listeners: list[Callable[[Event], None]] = []

    def listen(self, listener: Callable[[Event], None]) -> None:
        """Also hand every typed event to `listener` (on the event loop; it must not block)."""
        self._listeners.append(listener)

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def publish(self, event: dict[str, Any]) -> None:
        payload = json.dumps(event)
        for ws, queue in list(self._clients.items()):
            try:
                queue.put_nowait(payload)
            except asyncio.QueueFull:
                log.warning("closing a WebSocket client that does not keep up")
                self._clients.pop(ws, None)
                task = asyncio.ensure_future(
                    ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too slow")
                )
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    def publish_all(self, events: Iterable[Event]) -> None:
        """Publish typed events, in order, as their JSON frames."""
        for event in events:
            self.publish(wire.event(event))
            for listener in self._listeners:
                try:
                    listener(event)
                except Exception:  # a listener's bug never stops the WebSocket clients' events
                    log.exception("an event listener failed on a %s", type(event).__name__)

    async def serve(self, ws: web.WebSocketResponse, hello: dict[str, Any]) -> None:
        """Send `hello`, then events, until the socket closes."""
        queue: asyncio.Queue[str] = asyncio.Queue(self._queue_size)
        queue.put_nowait(json.dumps(hello))
        self._clients[ws] = queue
        sender = asyncio.create_task(_send_from(queue, ws))
        try:
            async for message in ws:
                if message.type == web.WSMsgType.TEXT and _is_ping(message.data):
                    queue.put_nowait('{"type": "pong"}')
        except (ConnectionResetError, asyncio.QueueFull):
            pass
        finally:
            self._clients.pop(ws, None)
            sender.cancel()

    async def close_all(self) -> None:
        for ws in list(self._clients):
            self._clients.pop(ws, None)
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"daemon stopping")


def _is_ping(data: str) -> bool:
    try:
        return bool(json.loads(data).get("type") == "ping")
    except (ValueError, AttributeError):
        return False


async def _send_from(queue: asyncio.Queue[str], ws: web.WebSocketResponse) -> None:
    while not ws.closed:
        payload = await queue.get()
        try:
            await ws.send_str(payload)
        except (ConnectionResetError, RuntimeError):
            return
