"""Runs the real `moodline daemon` as a subprocess for end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

TOKEN = "e2e-token-" + "k" * 32


class DaemonProcess:
    """A daemon process with its own dirs and a file keyring holding a known token."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        keyring_file = root / "keyring.json"
        keyring_file.write_text(json.dumps({"moodline/pairing-token": TOKEN}))
        self.env = {
            **os.environ,
            "MOODLINE_CONFIG_DIR": str(root / "config"),
            "MOODLINE_DATA_DIR": str(root / "data"),
            "PYTHON_KEYRING_BACKEND": "tests.support.memory_keyring.TestFileKeyring",
            "MOODLINE_TEST_KEYRING_FILE": str(keyring_file),
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        }
        self.log = root / "daemon.log"

    def start(self, timeout: float = 60.0) -> float:
        """Start and wait until /v1/health says ready; return seconds to ready."""
        started = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "moodline",
                    "daemon",
                    "--port",
                    str(self.port),
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daemon exited: {self.log.read_text()[-2000:]}")
            try:
                if self.request("GET", "/v1/health").get("ready"):
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.02)
        raise TimeoutError(f"daemon not ready: {self.log.read_text()[-2000:]}")

    def request(
        self, method: str, path: str, body: Any = None, timeout: float = 10.0
    ) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
