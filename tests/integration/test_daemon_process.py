"""The real daemon process: start, serve, survive `kill -9` with nothing acknowledged lost."""

from __future__ import annotations

import threading
import time
import urllib.error
from pathlib import Path

import pytest

from moodline.daemon.scoring.encoders import Encoder
from tests.conftest import free_port
from tests.support.daemon_process import DaemonProcess

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def test_kill_9_loses_nothing_acknowledged(tmp_path: Path, fast_encoder: Encoder) -> None:
    daemon = DaemonProcess(tmp_path, free_port())
    daemon.start()
    acknowledged: list[str] = []
    stop = threading.Event()

    def sender() -> None:
        i = 0
        while not stop.is_set():
            mid = f"m{i}"
            body = {
                "conversation_id": "kill-test",
                "messages": [{"id": mid, "role": "customer", "text": f"message {i}, ok?"}],
            }
            try:
                daemon.request("POST", "/v1/messages", body, timeout=5)
            except (OSError, urllib.error.URLError):
                return
            acknowledged.append(mid)
            i += 1

    thread = threading.Thread(target=sender)
    thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    daemon.kill()
    stop.set()
    thread.join(10)
    assert len(acknowledged) >= 40
    daemon.start()
    try:
        detail = daemon.request("GET", "/v1/conversations/kill-test")
        stored = {m["id"] for m in detail["messages"]}
        missing = [m for m in acknowledged if m not in stored]
        assert not missing, f"acknowledged but lost: {missing}"
        assert len(detail["timeline"]) == len(stored)
        resent = daemon.request(
            "POST",
            "/v1/messages",
            {
                "conversation_id": "kill-test",
                "messages": [
                    {"id": m, "role": "customer", "text": f"message {m[1:]}, ok?"}
                    for m in acknowledged[:5]
                ],
            },
        )
        assert resent["stored"] == 0 and resent["duplicates"] == 5 and resent["refused"] == []
    finally:
        daemon.stop()


def test_daemon_process_never_imports_torch(tmp_path: Path, fast_encoder: Encoder) -> None:
    daemon = DaemonProcess(tmp_path, free_port())
    daemon.start()
    try:
        health = daemon.request("GET", "/v1/health")
        assert health["encoder"].startswith("onnx:")
        import psutil

        assert daemon.process is not None
        maps = Path(f"/proc/{daemon.process.pid}/maps").read_text()
        assert "libtorch" not in maps, "the daemon loaded torch"
        process = psutil.Process(daemon.process.pid)
        assert process.memory_info().rss < 400 * 2**20
        listening = [c for c in process.net_connections("inet") if c.status == "LISTEN"]
        assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening), listening
    finally:
        daemon.stop()


def test_port_in_use_is_a_clear_error(tmp_path: Path, fast_encoder: Encoder) -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        daemon = DaemonProcess(tmp_path, port)
        result = subprocess.run(
            [sys.executable, "-m", "moodline", "daemon", "--port", str(port)],
            env=daemon.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 6
    assert f"port {port}" in result.stderr and "in use" in result.stderr


def test_moodline_pair_shows_a_code_the_extension_can_redeem(
    tmp_path: Path, fast_encoder: Encoder
) -> None:
    import json
    import subprocess
    import sys
    import urllib.request

    from tests.conftest import EXTENSION_ORIGIN

    daemon = DaemonProcess(tmp_path, free_port())
    daemon.start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "moodline", "pair", "--port", str(daemon.port)],
            env=daemon.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        code = result.stdout.split("Pairing code: ")[1].split()[0]
        request = urllib.request.Request(
            f"http://127.0.0.1:{daemon.port}/v1/pair",
            data=json.dumps({"code": code}).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Origin": EXTENSION_ORIGIN},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["token"].startswith("e2e-token-")
    finally:
        daemon.stop()


def test_moodline_pair_without_daemon_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    daemon = DaemonProcess(tmp_path, free_port())
    result = subprocess.run(
        [sys.executable, "-m", "moodline", "pair", "--port", str(daemon.port)],
        env=daemon.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 6 and "moodline daemon" in result.stderr


def test_moodline_up_runs_daemon_and_widget_and_stops_both(
    tmp_path: Path, fast_encoder: Encoder
) -> None:
    import subprocess
    import sys

    daemon = DaemonProcess(tmp_path, free_port())
    env = {**daemon.env, "DISPLAY": ":moodline-test", "QT_QPA_PLATFORM": "offscreen"}
    up = subprocess.Popen(
        [sys.executable, "-m", "moodline", "up", "--port", str(daemon.port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        ready = False
        while time.monotonic() < deadline and not ready:
            try:
                ready = bool(daemon.request("GET", "/v1/health").get("ready"))
            except OSError:
                time.sleep(0.1)
        assert ready, "the daemon started by `moodline up` never became ready"
        assert up.poll() is None, "the widget side of `moodline up` exited"
    finally:
        up.terminate()
        up.wait(20)
    time.sleep(0.5)
    with pytest.raises(OSError):
        daemon.request("GET", "/v1/health", timeout=2)
