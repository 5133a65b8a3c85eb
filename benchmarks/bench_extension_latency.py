"""DOM insert → daemon `sentiment` event, through the real extension in real Chromium and a real
daemon: inserts N customer messages one by one into the generic fixture console, waits for each
one's `sentiment` event on /v1/events, and prints p50/p95 with the split between the content
script, the hand-over to the worker, the worker, the outbox write and HTTP + daemon. Then the
same texts posted straight to the daemon (its own share). Target (issue 12): p95 ≤ 30 ms.
Run: python -m benchmarks.bench_extension_latency [--messages 60] [--gap-ms 150] [--rounds 1]
     [--baseline DIR]  (another copy of extension/, e.g. an older one, measured in turn with
     this one against the same daemon: the machine's speed drifts between runs)

The split comes from timing marks the extension keeps only while `debugTiming` is set in its
storage (src/background/timing.js); the clocks of page, worker and this process are aligned by
round trips before each run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.client
import http.server
import json
import queue
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
from playwright.sync_api import sync_playwright

from benchmarks.bench_scoring import chat_lines
from benchmarks.daemon_runner import TOKEN, running_daemon
from tests.support import browser as browser_support
from tests.support.browser import EXTENSION_DIR, ExtensionBrowser, wait_for

FIXTURES = EXTENSION_DIR / "tests" / "fixtures"
CONFIG = json.loads((FIXTURES / "generic" / "config.json").read_text())
NOW = "() => performance.timeOrigin + performance.now()"
INSERT = (
    "(m) => { const t = performance.timeOrigin + performance.now(); consoleKit.add(m); return t; }"
)
# (label, from mark, to mark); marks: inserted (page), changed/read/sent (content script),
# received/enqueue/queued/posted/answered (worker), event (this process, the daemon's event).
SPLIT = [
    ("page → content script (MutationObserver)", "inserted", "changed"),
    ("content script: read the page", "changed", "read"),
    ("content script: prepare and send", "read", "sent"),
    ("hand-over to the worker (runtime message)", "sent", "received"),
    ("worker: message → outbox write started", "received", "enqueue"),
    ("worker: message → POST started", "received", "posted"),
    ("outbox: queued → safe (daemon's answer or write)", "enqueue", "queued"),
    ("HTTP + daemon: POST → answer", "posted", "answered"),
    ("HTTP + daemon: POST → sentiment event", "posted", "event"),
]
Parts = dict[str, list[float]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return


@contextlib.contextmanager
def fixture_server() -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class EventListener:
    """The daemon's /v1/events in a thread: (arrival epoch ms, event) for every sentiment event."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.events: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.ready = threading.Event()
        threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True).start()
        if not self.ready.wait(10):
            raise RuntimeError("the daemon's event socket did not open")

    async def _run(self) -> None:
        url = f"http://127.0.0.1:{self.port}/v1/events"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket:
            await socket.send_json({"type": "auth", "token": TOKEN})
            self.ready.set()
            async for frame in socket:
                arrived = time.time() * 1000
                event = json.loads(frame.data)
                if event.get("type") == "sentiment":
                    self.events.put((arrived, event))

    def wait_for(self, message_id: str, timeout: float = 10.0) -> float:
        """Arrival time of the sentiment event that scored `message_id`."""
        deadline = time.monotonic() + timeout
        while True:
            arrived, event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if any(s.get("message_id") == message_id for s in event.get("scored", [])):
                return arrived

    def drain(self) -> None:
        while not self.events.empty():
            self.events.get_nowait()


def clock_offset(now: Callable[[], float]) -> float:
    """`now()`'s clock minus this process's (epoch ms), from the tightest of 15 round trips."""
    samples = []
    for _ in range(15):
        before = time.time() * 1000
        theirs = now()
        after = time.time() * 1000
        samples.append((after - before, theirs - (before + after) / 2))
    return min(samples)[1]


def through_the_extension(
    browser: ExtensionBrowser,
    listener: EventListener,
    pages: str,
    texts: list[str],
    gap_ms: float,
    tag: str,
) -> tuple[list[float], Parts]:
    browser.set_storage(
        {
            "port": listener.port,
            "token": TOKEN,
            "sites": [pages],
            "generic": {pages: {**CONFIG, "origin": pages}},
            "debugTiming": True,
        }
    )
    browser.evaluate("() => globalThis.moodline.syncSites()")
    page = browser.open(f"{pages}/generic/console.html")
    wait_for(
        lambda: browser.evaluate("() => globalThis.moodline.sent()") >= 3 and not browser.outbox(),
        what="the fixture's first messages delivered",
    )
    time.sleep(0.5)
    page_offset = clock_offset(lambda: float(page.evaluate(NOW)))
    worker_offset = clock_offset(lambda: float(browser.evaluate(NOW)))
    browser.evaluate("() => globalThis.moodline.timings()")  # forget the first messages' marks
    listener.drain()
    totals: list[float] = []
    inserted: dict[str, float] = {}
    events: dict[str, float] = {}
    for number, text in enumerate(texts):
        message_id = f"{tag}-{number}"
        at = page.evaluate(INSERT, {"id": message_id, "role": "customer", "text": text})
        inserted[message_id] = float(at) - page_offset
        events[message_id] = listener.wait_for(message_id)
        totals.append(events[message_id] - inserted[message_id])
        time.sleep(gap_ms / 1000)
    records: dict[str, dict[str, float]] = browser.evaluate("() => globalThis.moodline.timings()")
    parts: Parts = {label: [] for label, _a, _b in SPLIT}
    for message_id, record in records.items():
        if message_id not in inserted:
            continue
        marks = {"inserted": inserted[message_id], "event": events[message_id]}
        for key in ("changed", "read", "sent"):
            if record.get(key):
                marks[key] = record[key] - page_offset
        for key in ("received", "enqueue", "queued", "posted", "answered"):
            if record.get(key):
                marks[key] = record[key] - worker_offset
        for label, start, end in SPLIT:
            if start in marks and end in marks:
                parts[label].append(marks[end] - marks[start])
    page.close()
    return totals, parts


def straight_to_the_daemon(
    listener: EventListener, texts: list[str], gap_ms: float, tag: str
) -> list[float]:
    """The same texts POSTed by this process on one kept-alive connection, as the worker's
    fetch does: POST → sentiment event, the daemon's own share."""
    connection = http.client.HTTPConnection("127.0.0.1", listener.port)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    totals = []
    for number, text in enumerate(texts):
        message_id = f"{tag}-direct-{number}"
        body = {
            "conversation_id": "bench:direct",
            "source": {"site": "bench"},
            "messages": [{"id": message_id, "role": "customer", "text": text}],
        }
        started = time.time() * 1000
        connection.request("POST", "/v1/messages", json.dumps(body), headers)
        connection.getresponse().read()
        totals.append(listener.wait_for(message_id) - started)
        time.sleep(gap_ms / 1000)
    connection.close()
    return totals


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"  {label:<50} (no marks)"
    return (
        f"  {label:<50} p50 {statistics.median(values):6.2f}  p95 {percentile(values, 95):6.2f}"
        f"  mean {statistics.fmean(values):6.2f} ms"
    )


def report(name: str, totals: list[float], parts: Parts) -> None:
    print(f"{name}: DOM insert → sentiment event, {len(totals)} customer messages one by one")
    print(line("total", totals))
    print(f"  max {max(totals):.2f} ms; target p95 ≤ 30 ms")
    print("  split (each part's own p50/p95; POST and outbox overlap):")
    for label, _start, _end in SPLIT:
        print(line(label, parts[label]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--gap-ms", type=float, default=150.0, help="pause after each event")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each extension, in turn")
    parser.add_argument("--baseline", type=Path, help="another extension/ folder to compare")
    args = parser.parse_args()
    pool = [t for t in chat_lines() if 10 <= len(t) <= 200]
    texts = [pool[(n * 37) % len(pool)] for n in range(args.messages)]
    extensions = {"this extension": EXTENSION_DIR}
    if args.baseline:
        extensions = {f"baseline ({args.baseline})": args.baseline.resolve(), **extensions}
    results: dict[str, tuple[list[float], Parts]] = {
        name: ([], {label: [] for label, _a, _b in SPLIT}) for name in extensions
    }
    direct: list[float] = []
    with running_daemon() as (daemon, _seconds), fixture_server() as pages:
        listener = EventListener(daemon.port)
        with sync_playwright() as driver:
            for round_number in range(args.rounds):
                for index, (name, folder) in enumerate(extensions.items()):
                    browser_support.EXTENSION_DIR = folder  # what launch() loads
                    with tempfile.TemporaryDirectory() as tmp:
                        browser = ExtensionBrowser(driver, Path(tmp) / "profile").launch()
                        try:
                            totals, parts = through_the_extension(
                                browser,
                                listener,
                                pages,
                                texts,
                                args.gap_ms,
                                f"r{round_number}e{index}",
                            )
                        finally:
                            browser.close()
                            browser_support.EXTENSION_DIR = EXTENSION_DIR
                    results[name][0].extend(totals)
                    for label, values in parts.items():
                        results[name][1][label].extend(values)
                direct += straight_to_the_daemon(
                    listener, texts[: len(texts) // 2], args.gap_ms, f"r{round_number}"
                )
    for name, (totals, parts) in results.items():
        report(name, totals, parts)
    print("the same texts POSTed straight to the daemon by this process, between the runs:")
    print(line("POST → sentiment event", direct))


if __name__ == "__main__":
    main()
