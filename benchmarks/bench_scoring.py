"""Speed and memory of scoring: fast path vs its bare encoder vs the torch path, daemon RSS,
start-to-ready and `moodline score` throughput. Run: python -m benchmarks.bench_scoring.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import psutil

from daemon.runtime import load_encoder, verification_texts
from daemon.scoring.heads import load_named_head
from daemon.scoring.scorer import MessageScorer
from daemon.scoring.text_prep import prepare_text

REPO = Path(__file__).resolve().parents[1]


def latencies(work: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    for text in texts[:30]:
        work(text)
    times = []
    for text in texts:
        started = time.perf_counter()
        work(text)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
        "mean_ms": round(statistics.fmean(times), 2),
    }


def daemon_figures(cache_dir: str) -> dict[str, float]:
    from benchmarks.daemon_runner import running_daemon

    with running_daemon(cache_dir) as (daemon, ready_s):
        assert daemon.process is not None
        for i in range(50):
            daemon.request(
                "POST",
                "/v1/messages",
                {
                    "conversation_id": "warm",
                    "messages": [
                        {"id": str(i), "role": "customer", "text": f"warm-up message {i}, thanks"}
                    ],
                },
            )
        rss = psutil.Process(daemon.process.pid).memory_info().rss / 2**20
        encoder = daemon.request("GET", "/v1/health")["encoder"]
    return {
        "start_to_ready_s": round(ready_s, 2),
        "rss_mb_after_warmup": round(rss, 1),
        "encoder": encoder,
    }


def score_throughput(texts: list[str]) -> float:
    lines = "\n".join((texts * 10)[:5000]) + "\n"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "daemon", "score"],
        input=lines,
        text=True,
        capture_output=True,
        check=True,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - started
    return round(len(result.stdout.splitlines()) / elapsed, 1)


def main() -> int:
    texts = verification_texts()[:600]
    head, _ = load_named_head("shipped")
    fast = load_encoder(build_if_missing=True)
    fast_scorer = MessageScorer(fast, head)
    results: dict[str, object] = {}
    print("measuring the bare fast encoder and the full scoring path ...", file=sys.stderr)
    bare = latencies(lambda t: fast.encode([prepare_text(t)]), texts)
    full = latencies(fast_scorer.score, texts)
    results["fast_bare_encoder"] = bare
    results["fast_scoring"] = full
    results["fast_p95_ratio_vs_bare_encoder"] = round(full["p95_ms"] / bare["p95_ms"], 3)
    print("measuring the torch path (sentence-transformers, 1 thread) ...", file=sys.stderr)
    from daemon.scoring.encoders import SentenceTransformerEncoder

    reference = MessageScorer(SentenceTransformerEncoder(threads=1), head)
    torch_scoring = latencies(reference.score, texts[:300])
    results["torch_scoring"] = torch_scoring
    results["torch_p50_ratio_vs_fast"] = round(torch_scoring["p50_ms"] / full["p50_ms"], 2)
    print("starting real daemons (fast path, then torch fallback) ...", file=sys.stderr)
    cache = os.environ.get("MOODLINE_CACHE_DIR", str(REPO / ".cache" / "moodline"))
    results["daemon_fast_path"] = daemon_figures(cache)
    with tempfile.TemporaryDirectory() as empty_cache:
        results["daemon_torch_path"] = daemon_figures(empty_cache)
    print("measuring `moodline score` throughput ...", file=sys.stderr)
    results["moodline_score_lines_per_s"] = score_throughput(texts)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
