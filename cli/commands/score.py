"""`moodline score`: stream messages (or conversation turns) from stdin to JSON lines on stdout."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from moodline.commands.options import add_data_dir
from moodline.daemon.levels import level_for_score
from moodline.daemon.scoring.conversation_language import ConversationLanguages
from moodline.daemon.scoring.conversations import ConversationWindows
from moodline.daemon.scoring.language import check_language
from moodline.daemon.scoring.scorer import Assessment, MessageScorer, NotScored
from moodline.daemon.scoring.window import WindowItem
from moodline.daemon.settings import Settings


def _batches(lines: TextIO, size: int) -> Iterator[list[str]]:
    iterator = (line.rstrip("\r\n") for line in lines)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def score_messages(
    scorer: MessageScorer, settings: Settings, lines: TextIO, out: TextIO, batch: int
) -> int:
    count = 0
    thresholds = settings.thresholds
    for texts in _batches(lines, batch):
        nonempty = [t for t in texts if t.strip()]
        results = iter(scorer.assess_many(nonempty))
        for text in texts:
            if not text.strip():
                continue
            out.write(json.dumps(_line(text, next(results), thresholds), ensure_ascii=False))
            out.write("\n")
            count += 1
        out.flush()
    return count


def _line(text: str, s: Assessment, thresholds: Sequence[float]) -> dict[str, Any]:
    if isinstance(s, NotScored):
        return {"text": text, "language": s.language, **s.to_dict()}
    return {
        "text": text,
        "label": s.label,
        "score": round(s.score, 4),
        "level": level_for_score(s.score, thresholds).value,
        "confidence": round(s.confidence, 4),
        "uncertain": s.uncertain,
        "language": s.language,
        "path": s.path,
    }


def score_conversations(
    scorer: MessageScorer, settings: Settings, lines: TextIO, out: TextIO, batch: int
) -> int:
    windows = ConversationWindows(settings.window_config())
    routes = ConversationLanguages()  # a short line takes its conversation's language
    count = 0
    for raw_lines in _batches(lines, batch):
        records: list[dict[str, Any] | None] = []
        for number, raw in enumerate(raw_lines, start=count + 1):
            if not raw.strip():
                records.append(None)
                continue
            try:
                record = json.loads(raw)
                if not (
                    isinstance(record, dict)
                    and isinstance(record.get("conversation_id"), str)
                    and record.get("role") in {"customer", "agent"}
                    and isinstance(record.get("text"), str)
                ):
                    raise ValueError("need conversation_id (string), role, text")
            except ValueError as exc:
                raise SystemExit(f"moodline score: input line {number}: {exc}") from exc
            records.append(record)
        customer = [r for r in records if r and r["role"] == "customer"]
        checks = [routes.route(r["conversation_id"], check_language(r["text"])) for r in customer]
        scores = iter(scorer.assess_many([r["text"] for r in customer], checks))
        for index, record in enumerate(records):
            if record is None:
                continue
            item, state_extra = None, {}
            if record["role"] == "customer":
                s = next(scores)
                if isinstance(s, NotScored):  # it does not move the level
                    state_extra = s.to_dict()
                else:
                    item = WindowItem(f"{count + index}", s.score, s.uncertain)
            state = windows.add(record["conversation_id"], item)
            out.write(json.dumps({**state, **state_extra}) + "\n")
        count += len(raw_lines)
        out.flush()
    return count


def run(args: argparse.Namespace) -> int:
    from moodline.daemon.runtime import load_encoder, load_scorer
    from moodline.daemon.scoring.heads import HeadRegistry
    from moodline.daemon.settings import load_settings

    settings = load_settings(args.locations.settings_file)
    batch = 1 if sys.stdin.isatty() else max(1, args.batch_size)
    threads = 1 if batch == 1 else max(1, os.cpu_count() or 1)
    name = settings.active_head if args.head == "active" else args.head
    scorer = load_scorer(
        HeadRegistry(args.locations.heads),
        name,
        settings.uncertain_below,
        load_encoder(threads=threads),
    )
    if args.conversation:
        score_conversations(scorer, settings, sys.stdin, sys.stdout, batch)
    else:
        score_messages(scorer, settings, sys.stdin, sys.stdout, batch)
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("score", help="score messages from stdin, one JSON object per line")
    p.add_argument(
        "--conversation",
        action="store_true",
        help='input lines are JSON {"conversation_id", "role", "text"}; output window states',
    )
    p.add_argument(
        "--head",
        default="shipped",
        help="head to use: shipped (default), active (the daemon's), or a trained head's name",
    )
    p.add_argument("--batch-size", type=int, default=256)
    add_data_dir(p)
    p.set_defaults(run=run)
