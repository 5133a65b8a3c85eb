"""Idle CPU of the real widget (`moodline widget`) linked to a real daemon with ten open
conversations, measured beside a bare Qt app with one empty window over the same seconds.
Run: python -m benchmarks.bench_widget_idle [--seconds 30] [--expanded] [--platform offscreen]
(`--platform xcb` needs a display, e.g. `xvfb-run -a`). Target: the widget under 1 % of one core.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from benchmarks.daemon_runner import running_daemon
from tests.support.daemon_process import DaemonProcess

CONVERSATIONS = 10
TEXTS = (
    "hi, I was charged twice for my order",
    "it's been three days and nobody answered",
    "ok, thanks for looking into it",
)
BARE_APP = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(320, 120)
window.show()
sys.exit(app.exec())
"""


def open_conversations(daemon: DaemonProcess) -> None:
    for number in range(CONVERSATIONS):
        daemon.request(
            "POST",
            "/v1/messages",
            {
                "conversation_id": f"bench:{number}",
                "source": {"site": "bench", "title": f"Chat {number}"},
                "messages": [
                    {"id": str(i), "role": "customer", "text": text} for i, text in enumerate(TEXTS)
                ],
            },
        )
    listed = daemon.request("GET", "/v1/conversations")["conversations"]
    assert len(listed) == CONVERSATIONS, listed


def linked(pid: int, port: int) -> bool:
    """True once the widget process holds an open connection (its event socket) to the daemon."""
    connections = psutil.Process(pid).net_connections(kind="tcp")
    return any(c.raddr and c.raddr.port == port and c.status == "ESTABLISHED" for c in connections)


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=5.0, help="wait after linking")
    parser.add_argument("--expanded", action="store_true", help="start the widget expanded")
    parser.add_argument("--platform", default="offscreen", help="Qt platform (QT_QPA_PLATFORM)")
    parser.add_argument(
        "--source", help="run the widget from another checkout (before/after comparisons)"
    )
    args = parser.parse_args()
    with running_daemon() as (daemon, _):
        open_conversations(daemon)
        env = {**daemon.env, "QT_QPA_PLATFORM": args.platform}
        config = Path(env["MOODLINE_CONFIG_DIR"])
        config.mkdir(parents=True, exist_ok=True)
        if args.expanded:
            (config / "widget-state.ini").write_text("[window]\nexpanded=true\n")
        widget_env = {**env, "PYTHONPATH": args.source} if args.source else env
        widget = subprocess.Popen(
            [sys.executable, "-m", "moodline", "widget", "--port", str(daemon.port)],
            env=widget_env,
            cwd=args.source,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        bare = subprocess.Popen(
            [sys.executable, "-c", BARE_APP],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while not linked(widget.pid, daemon.port):
                if widget.poll() is not None or time.monotonic() > deadline:
                    print("the widget did not link to the daemon", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            time.sleep(args.settle)
            processes = {"widget": psutil.Process(widget.pid), "bare": psutil.Process(bare.pid)}
            daemon_process = psutil.Process(daemon.process.pid) if daemon.process else None
            before = {name: cpu_seconds(p) for name, p in processes.items()}
            daemon_before = cpu_seconds(daemon_process) if daemon_process else 0.0
            started = time.monotonic()
            time.sleep(args.seconds)
            elapsed = time.monotonic() - started
            spent = {name: cpu_seconds(p) - before[name] for name, p in processes.items()}
            usage = {name: 100.0 * seconds / elapsed for name, seconds in spent.items()}
            daemon_usage = (
                100.0 * (cpu_seconds(daemon_process) - daemon_before) / elapsed
                if daemon_process
                else float("nan")
            )
            rss = processes["widget"].memory_info().rss / 2**20
        finally:
            for process in (widget, bare):
                process.terminate()
                process.wait(10)
    state = "expanded (chart and why panel shown)" if args.expanded else "compact"
    print(
        f"idle {elapsed:.0f} s, QT_QPA_PLATFORM={args.platform}, widget {state}, "
        f"{CONVERSATIONS} open conversations, {os.cpu_count()} cores"
    )
    tick = 100.0 * 0.01 / elapsed  # CPU times count in 10 ms clock ticks
    print(
        f"widget CPU: {usage['widget']:.3f} % of one core ({spent['widget']:.2f} s; target "
        f"< 1 %), RSS {rss:.0f} MB"
    )
    print(
        f"bare QApplication + empty window, same seconds: {usage['bare']:.3f} % "
        f"({spent['bare']:.2f} s)"
    )
    if usage["bare"] > 0:
        print(f"widget ÷ bare: {usage['widget'] / usage['bare']:.2f}×")
    else:
        print(f"widget ÷ bare: n/a (the bare app used less than one clock tick, < {tick:.3f} %)")
    print(f"daemon meanwhile: {daemon_usage:.3f} %")
    return 0 if usage["widget"] < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
