"""Assembles the scorer the daemon and `moodline score` use from the shipped, prebuilt model."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from moodline.daemon.scoring.encoders import OnnxEncoder, trim_heap
from moodline.daemon.scoring.heads import (
    HeadRegistry,
    has_multilingual,
    load_multilingual,
    load_shipped_encoder,
)
from moodline.daemon.scoring.multilingual import MultilingualPath
from moodline.daemon.scoring.scorer import MessageScorer

WARM_UP_TEXTS = ("hello", "thanks, that fixed it!", "this is still broken and nobody answers")

# One thread: two made single messages ~35 % faster on an idle 2-core machine, but the scoring
# path's own work then weighs 1.38x the encoder at p95 (target 1.3x), and under load the second
# core is the HTTP side's. Batch scoring (`moodline score`) asks for more.
DAEMON_THREADS = 1


def load_encoder(threads: int = DAEMON_THREADS) -> OnnxEncoder:
    """The shipped ONNX encoder, its files checked against the shipped metadata's SHA-256."""
    return load_shipped_encoder(threads=threads)


def load_scorer(
    heads: HeadRegistry,
    name: str,
    uncertain_below: float,
    encoder: OnnxEncoder | None = None,
    tables: Path | None = None,
) -> MessageScorer:
    """Encoder + head `name` (and its own head for the other languages, when a team trained
    one), warmed up, with the load's spare heap handed back to the OS. `tables`: the cache
    folder the multilingual encoder reads its embedding table from (None: held in memory)."""
    head, _ = heads.load(name)
    team_multilingual = heads.load_multilingual(name)
    # The other languages' path loads on the first message that needs it, never at start.
    multilingual = (
        MultilingualPath(partial(load_multilingual, tables=tables), team_multilingual)
        if has_multilingual()
        else None
    )
    scorer = MessageScorer(encoder or load_encoder(), head, uncertain_below, multilingual)
    scorer.score_many(list(WARM_UP_TEXTS))
    trim_heap()
    return scorer
