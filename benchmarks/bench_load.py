"""Load test against a real daemon over HTTP: 50 conversations posting at 200 messages/s for
30 s. Prints messages lost (must be 0), request latency p50/p95 and daemon RSS.
Run: python -m benchmarks.bench_load [--rate 200] [--seconds 30] [--conversations 50]
                                     [--encoder-model compact|throughput]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time

import aiohttp
import numpy as np
import psutil

from benchmarks.bench_scoring import chat_lines
from benchmarks.daemon_runner import TOKEN, running_daemon


async def drive(
    port: int, rate: float, seconds: float, conversations: int, pid: int
) -> dict[str, object]:
    texts = chat_lines()
    rng = random.Random(7)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    url = f"http://127.0.0.1:{port}/v1/messages"
    acknowledged: dict[str, list[str]] = {f"load-{c}": [] for c in range(conversations)}
    latencies: list[float] = []
    failures: list[str] = []
    rss_samples: list[float] = []
    total = int(rate * seconds)
    process = psutil.Process(pid)
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def send(index: int) -> None:
            conversation = f"load-{index % conversations}"
            message_id = f"m{index}"
            body = {
                "conversation_id": conversation,
                "messages": [
                    {
                        "id": message_id,
                        "role": rng.choice(["customer", "customer", "agent"]),
                        "text": rng.choice(texts),
                        "ts": time.time() * 1000,
                    }
                ],
            }
            started = time.perf_counter()
            try:
                async with session.post(url, json=body, headers=headers) as response:
                    await response.read()
                    if response.status == 200:
                        acknowledged[conversation].append(message_id)
                        latencies.append((time.perf_counter() - started) * 1000)
                    else:
                        failures.append(f"{response.status}")
            except aiohttp.ClientError as exc:
                failures.append(type(exc).__name__)

        tasks = []
        started = time.perf_counter()
        for index in range(total):
            due = started + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(index)))
            if index % int(rate) == 0:
                rss_samples.append(process.memory_info().rss / 2**20)
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started

        lost = 0
        for conversation, ids in acknowledged.items():
            async with session.get(
                f"http://127.0.0.1:{port}/v1/conversations/{conversation}", headers=headers
            ) as response:
                stored = {m["id"] for m in (await response.json())["messages"]}
            lost += len([i for i in ids if i not in stored])
    return {
        "messages_sent": total,
        "acknowledged": sum(len(v) for v in acknowledged.values()),
        "failed_requests": len(failures),
        "messages_lost": lost,
        "achieved_rate_per_s": round(total / elapsed, 1),
        "latency_p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "latency_p95_ms": round(float(np.percentile(latencies, 95)), 2),
        "latency_max_ms": round(float(max(latencies)), 2),
        "daemon_rss_mb_peak": round(max(rss_samples), 1),
        "daemon_rss_mb_end": round(process.memory_info().rss / 2**20, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--conversations", type=int, default=50)
    args = parser.parse_args()
    with running_daemon() as (daemon, _):
        assert daemon.process is not None
        print(f"driving {args.rate}/s for {args.seconds}s ...", file=sys.stderr)
        result = asyncio.run(
            drive(daemon.port, args.rate, args.seconds, args.conversations, daemon.process.pid)
        )
    print(json.dumps(result, indent=2))
    return 0 if result["messages_lost"] == 0 and not result["failed_requests"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
