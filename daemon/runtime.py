"""Assembles the scorer the daemon and `moodline score` use: fast path first, reference fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from moodline.daemon.scoring import fast_path
from moodline.daemon.scoring.encoders import Encoder, SentenceTransformerEncoder, trim_heap
from moodline.daemon.scoring.heads import SHIPPED, load_named_head
from moodline.daemon.scoring.scorer import MessageScorer

log = logging.getLogger(__name__)
WARM_UP_TEXTS = ("hello", "thanks, that fixed it!", "this is still broken and nobody answers")


def verification_texts() -> list[str]:
    """Texts the fast path is checked on: the packaged, project-written chat messages."""
    from moodline.models import chat_seed_file
    from moodline.models.datasets import labelled_file

    return labelled_file(chat_seed_file()).texts


def build_fast_path(folder: Path | None = None, progress: Callable[[str], None] = print) -> None:
    """Build and verify the fast path against the shipped head."""
    head, _ = load_named_head(SHIPPED)
    fast_path.build_fast_path(verification_texts(), head.labels, folder, progress)


# One thread: two made single messages ~35 % faster on an idle 2-core machine, but the scoring
# path's own work then weighs 1.38x the encoder at p95 (target 1.3x), and under load the second
# core is the HTTP side's. Batch scoring (`moodline score`) asks for more.
DAEMON_THREADS = 1


def load_encoder(
    build_if_missing: bool,
    progress: Callable[[str], None] = print,
    folder: Path | None = None,
    threads: int = DAEMON_THREADS,
    batch: bool = False,
) -> Encoder:
    """The fast ONNX encoder; built first if asked; otherwise the sentence-transformers one.

    Batches (`moodline score`) gain from the batch model (`batch`).
    """
    encoder = fast_path.load_fast_encoder(folder, threads=threads, batch=batch)
    if encoder is None and build_if_missing:
        build_fast_path(folder, progress)
        encoder = fast_path.load_fast_encoder(folder, threads=threads, batch=batch)
    if encoder is None:
        log.warning("fast path not built; using sentence-transformers (slower, more memory)")
        return SentenceTransformerEncoder(threads=threads)
    return encoder


def load_scorer(
    head_name: str,
    uncertain_below: float,
    build_if_missing: bool,
    progress: Callable[[str], None] = print,
    encoder: Encoder | None = None,
) -> MessageScorer:
    """Encoder + named head, warmed up."""
    head, _ = load_named_head(head_name)
    scorer = MessageScorer(
        encoder or load_encoder(build_if_missing, progress), head, uncertain_below
    )
    scorer.score_many(list(WARM_UP_TEXTS))
    trim_heap()
    return scorer
