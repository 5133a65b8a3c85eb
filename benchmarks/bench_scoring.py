"""Speed and memory of scoring with the shipped model: the scoring path (language check, encoder,
head) against its bare encoder in the same run, daemon RSS, start-to-ready, and `moodline score`
against the bare batch encoder. Run: python -m benchmarks.bench_scoring.
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
from functools import partial
from pathlib import Path

import numpy as np
import psutil

from moodline.daemon.runtime import load_encoder
from moodline.daemon.scoring.encoders import TOKENIZER_FILE
from moodline.daemon.scoring.heads import load_shipped_head, shipped_dir
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.scoring.text_prep import prepare_text

REPO = Path(__file__).resolve().parents[1]
SPANISH = "Llevo tres semanas esperando el reembolso y nadie me contesta"


def chat_lines() -> list[str]:
    """The packaged, project-written chat lines (short customer messages)."""
    from moodline.models import chat_seed_file
    from moodline.models.datasets import labelled_file

    return labelled_file(chat_seed_file()).texts


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


def daemon_figures() -> dict[str, float]:
    from benchmarks.daemon_runner import running_daemon

    with running_daemon() as (daemon, ready_s):
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
        # A Spanish message loads the language check's model (~75 MB) and the second path.
        started = time.perf_counter()
        daemon.request(
            "POST",
            "/v1/messages",
            {
                "conversation_id": "other-language",
                "messages": [{"id": "es", "role": "customer", "text": SPANISH}],
            },
        )
        first_other_language_s = time.perf_counter() - started
        for i, text in enumerate(other_language_lines()[:200]):
            daemon.request(
                "POST",
                "/v1/messages",
                {
                    "conversation_id": f"other-{i % 20}",
                    "messages": [{"id": str(i), "role": "customer", "text": text}],
                },
            )
        both = psutil.Process(daemon.process.pid).memory_info().rss / 2**20
    return {
        "start_to_ready_s": round(ready_s, 2),
        "rss_mb_after_warmup": round(rss, 1),
        "first_other_language_message_s (loads the second path)": round(first_other_language_s, 2),
        "rss_mb_with_both_paths_after_200_other_language_messages": round(both, 1),
        "encoder": encoder,
    }


def other_language_lines() -> list[str]:
    """The multilingual chat corpus's lines, languages interleaved."""
    from moodline.models.multilingual_corpus import load_multilingual

    per_language = [[line.text for line in lines] for lines in load_multilingual().values()]
    longest = max(len(lines) for lines in per_language)
    return [lines[i] for i in range(longest) for lines in per_language if i < len(lines)]


def throughput_corpora() -> dict[str, list[str]]:
    """5,000 lines each: chat messages (the packaged chat seed, repeated: nothing is cached, so a
    repeat costs what a new line does) and, when ../shared/data is beside the repo, distinct
    TweetEval test tweets (about three times longer)."""
    corpora = {"chat_seed_lines": (chat_lines() * 4)[:5000]}
    tweets = REPO.parent / "shared" / "data" / "tweeteval-sentiment" / "test_text.txt"
    if tweets.is_file():
        lines = tweets.read_text(encoding="utf-8").splitlines()
        corpora["distinct_tweets"] = [line for line in lines if line.strip()][:5000]
    return corpora


def mean_tokens(lines: list[str]) -> float:
    """Mean word pieces per line (special tokens included): what the encoder's cost scales with."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(shipped_dir() / TOKENIZER_FILE))
    tokenizer.no_padding()
    return statistics.fmean(len(e.ids) for e in tokenizer.encode_batch(lines))


def bare_encoder_throughput(lines: list[str]) -> float:
    """Texts per second through the batch encoder alone (tokenizer + onnxruntime), same lines,
    same threads as `moodline score`: the ceiling the command can approach on this machine."""
    encoder = load_encoder(threads=os.cpu_count() or 1)
    prepared = [prepare_text(t) for t in lines]
    encoder.encode(prepared[:200])
    started = time.perf_counter()
    encoder.encode(prepared)
    return round(len(prepared) / (time.perf_counter() - started), 1)


def score_throughput(lines: list[str]) -> float:
    """Lines per second through a real `moodline score` process, start-up included."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "moodline", "score"],
        input="\n".join(lines) + "\n",
        text=True,
        capture_output=True,
        check=True,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - started
    return round(len(result.stdout.splitlines()) / elapsed, 1)


def main() -> int:
    texts = chat_lines()[:600]
    head, _ = load_shipped_head()
    encoder = load_encoder()
    scorer = MessageScorer(encoder, head)
    results: dict[str, object] = {}
    print("measuring the bare encoder and the full scoring path ...", file=sys.stderr)
    bare = latencies(lambda t: encoder.encode([prepare_text(t)]), texts)
    full = latencies(lambda t: scorer.assess_many([t]), texts)
    results["bare_encoder"] = bare
    results["scoring"] = full
    results["scoring_p95_ratio_vs_bare_encoder"] = round(full["p95_ms"] / bare["p95_ms"], 3)
    print("measuring the second path on other-language chat lines ...", file=sys.stderr)
    from moodline.daemon.scoring.heads import load_multilingual
    from moodline.daemon.scoring.multilingual import MultilingualPath

    both = MessageScorer(encoder, head, multilingual=MultilingualPath(load_multilingual))
    others = other_language_lines()[:600]
    results["scoring_other_languages (second path, loaded, table in memory)"] = latencies(
        lambda t: both.assess_many([t]), others
    )
    with tempfile.TemporaryDirectory() as tables:  # as the daemon runs it: rows read from a file
        on_disk = MultilingualPath(partial(load_multilingual, tables=Path(tables)))
        daemon_like = MessageScorer(encoder, head, multilingual=on_disk)
        results["scoring_other_languages (second path, loaded, table on disk)"] = latencies(
            lambda t: daemon_like.assess_many([t]), others
        )
    results["scoring_english_with_second_path_loaded"] = latencies(
        lambda t: both.assess_many([t]), texts
    )
    print("starting a real daemon ...", file=sys.stderr)
    results["daemon"] = daemon_figures()
    print("measuring `moodline score` throughput ...", file=sys.stderr)
    for name, lines in throughput_corpora().items():
        bare_rate = bare_encoder_throughput(lines)
        score_rate = score_throughput(lines)
        results[f"moodline_score_{name}"] = {
            "lines": len(lines),
            "mean_tokens": round(mean_tokens(lines), 1),
            "lines_per_s": score_rate,
            "bare_batch_encoder_texts_per_s": bare_rate,
            "ratio_vs_bare_encoder": round(score_rate / bare_rate, 3),
            "cpu_cores": os.cpu_count(),
        }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
