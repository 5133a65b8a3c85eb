"""A real Mosquitto broker for the team-view tests: `mosquitto -c <generated conf>` on a free port
of 127.0.0.1, in its own temp dir; started, waited for, stopped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiomqtt
import pytest


def mosquitto_binary() -> str:
    """The broker (Debian's `mosquitto`, installed by .ci/system-deps); skip when absent."""
    found = shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )
    if found is None:
        pytest.skip("mosquitto is not installed (run .ci/system-deps)")
    return found


class Mosquitto:
    """One broker: anonymous clients allowed, no persistence, listening on `port`."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.root.mkdir(parents=True, exist_ok=True)
        self.config = root / "mosquitto.conf"
        self.log = root / "mosquitto.log"
        self.config.write_text(
            f"listener {port} 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence false\n"
            f"log_dest file {self.log}\n"
            "log_type error\nlog_type warning\nlog_type notice\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        self.process = subprocess.Popen(
            [mosquitto_binary(), "-c", str(self.config)],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"mosquitto exited: {error} {self._log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise TimeoutError(f"mosquitto did not listen on {self.port}: {self._log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()

    def _log_tail(self) -> str:
        return self.log.read_text()[-2000:] if self.log.exists() else ""


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    retain: bool

    def json(self) -> Any:
        return json.loads(self.payload)


class Recorder:
    """An MQTT client (aiomqtt) subscribed to `pattern` that keeps every message it receives."""

    def __init__(self, port: int, pattern: str = "moodline/v1/#") -> None:
        self.port, self.pattern = port, pattern
        self.messages: list[Received] = []
        self._stack = contextlib.AsyncExitStack()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Recorder:
        client = await self._stack.enter_async_context(
            aiomqtt.Client("127.0.0.1", self.port, identifier=f"recorder-{uuid.uuid4().hex[:8]}")
        )
        await client.subscribe(self.pattern, qos=1)
        self._task = asyncio.create_task(self._collect(client))
        return self

    async def _collect(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            payload = message.payload
            data = payload if isinstance(payload, bytes) else str(payload or "").encode()
            self.messages.append(Received(str(message.topic), data, bool(message.retain)))

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._stack.aclose()

    async def wait_for(
        self, predicate: Callable[[Received], bool], timeout: float = 10.0
    ) -> Received:
        """The first message (received so far or later) that satisfies `predicate`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for message in self.messages:
                if predicate(message):
                    return message
            if asyncio.get_running_loop().time() > deadline:
                seen = [(m.topic, m.payload[:200]) for m in self.messages]
                raise TimeoutError(f"no matching MQTT message in {timeout} s; got {seen}")
            await asyncio.sleep(0.02)
