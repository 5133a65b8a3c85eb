"""A real Mosquitto broker for the team-view tests: `mosquitto -c <generated conf>` on a free port
of 127.0.0.1, in its own temp dir; started, waited for, stopped. Optionally with a password file
(`mosquitto_passwd`), an ACL file and a TLS listener (with or without client certificates)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiomqtt
import pytest

from tests.support.certificates import KeyPair


def mosquitto_binary() -> str:
    """The broker (Debian's `mosquitto`, installed by .ci/system-deps); skip when absent."""
    found = shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )
    if found is None:
        pytest.skip("mosquitto is not installed (run .ci/system-deps)")
    return found


@dataclass(frozen=True)
class Security:
    """What the broker asks of clients: `users` (name → password) in a password file, an ACL
    file, TLS with the broker's `server` certificate, and `client_ca` to require client
    certificates (their CN is the user name)."""

    users: dict[str, str] = field(default_factory=dict)
    acl_file: Path | None = None
    server: KeyPair | None = None
    client_ca: Path | None = None


def write_password_file(path: Path, users: dict[str, str]) -> None:
    """With `mosquitto_passwd` when installed, else in its `$6$` (salted SHA-512) format."""
    tool = shutil.which("mosquitto_passwd")
    path.write_text("")
    if tool is not None:
        for user, password in users.items():
            subprocess.run([tool, "-b", str(path), user, password], check=True, timeout=30)
        return
    lines = []
    for user, password in users.items():
        salt = secrets.token_bytes(12)
        digest = hashlib.sha512(password.encode() + salt).digest()
        salt_text, digest_text = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
        lines.append(f"{user}:$6${salt_text}${digest_text}\n")
    path.write_text("".join(lines))


class Mosquitto:
    """One broker listening on `port`: anonymous clients allowed unless `security` names users or
    client certificates; no persistence."""

    def __init__(self, root: Path, port: int, security: Security | None = None) -> None:
        self.root, self.port = root, port
        self.security = security or Security()
        self.root.mkdir(parents=True, exist_ok=True)
        self.config = root / "mosquitto.conf"
        self.log = root / "mosquitto.log"
        self.config.write_text(
            f"listener {port} 127.0.0.1\n" + self._security_lines() + "persistence false\n"
            f"log_dest file {self.log}\n"
            "log_type error\nlog_type warning\nlog_type notice\n"
            # As root, Mosquitto would switch to the `mosquitto` user, who cannot read tmp files.
             + ("user root\n" if os.geteuid() == 0 else "")
        )
        self.process: subprocess.Popen[bytes] | None = None

    def _security_lines(self) -> str:
        security, lines = self.security, []
        if security.server is not None:
            lines += [f"certfile {security.server.certificate}", f"keyfile {security.server.key}"]
        if security.client_ca is not None:
            lines += [
                f"cafile {security.client_ca}",
                "require_certificate true",
                "use_identity_as_username true",
            ]
        if security.users:
            passwords = self.root / "passwords"
            write_password_file(passwords, security.users)
            lines.append(f"password_file {passwords}")
        anonymous = not security.users and security.client_ca is None
        lines.append(f"allow_anonymous {'true' if anonymous else 'false'}")
        if security.acl_file is not None:
            lines.append(f"acl_file {security.acl_file}")
        return "".join(f"{line}\n" for line in lines)

    @property
    def url(self) -> str:
        scheme = "mqtts" if self.security.server is not None else "mqtt"
        return f"{scheme}://127.0.0.1:{self.port}"

    def pause(self) -> None:
        """SIGSTOP: the broker keeps its sockets but answers nothing (a hung broker)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

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
            self.process.send_signal(signal.SIGCONT)  # a paused broker would not see SIGTERM
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


@dataclass(frozen=True)
class Login:
    """How a test client connects: a user name and password, TLS trusting `ca`, and a client
    certificate."""

    username: str | None = None
    password: str | None = None
    ca: Path | None = None
    certificate: KeyPair | None = None

    def tls_context(self) -> ssl.SSLContext | None:
        if self.ca is None:
            return None
        context = ssl.create_default_context(cafile=str(self.ca))
        if self.certificate is not None:
            context.load_cert_chain(str(self.certificate.certificate), str(self.certificate.key))
        return context


def client(
    port: int, login: Login | None = None, name: str = "test", timeout: float = 10
) -> aiomqtt.Client:
    login = login or Login()
    return aiomqtt.Client(
        "127.0.0.1",
        port,
        username=login.username,
        password=login.password,
        tls_context=login.tls_context(),
        identifier=f"{name}-{uuid.uuid4().hex[:8]}",
        timeout=timeout,
    )


class Recorder:
    """An MQTT client (aiomqtt) subscribed to `pattern` that keeps every message it receives."""

    def __init__(
        self, port: int, pattern: str = "moodline/v1/#", login: Login | None = None
    ) -> None:
        self.port, self.pattern, self.login = port, pattern, login
        self.messages: list[Received] = []
        self._stack = contextlib.AsyncExitStack()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Recorder:
        connection = await self._stack.enter_async_context(
            client(self.port, self.login, "recorder")
        )
        await connection.subscribe(self.pattern, qos=1)
        self._task = asyncio.create_task(self._collect(connection))
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
