"""Evaluating a scorer: dev sets against baselines, the regression suite by phenomenon and turn."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from moodline.daemon.scoring.conversations import ConversationWindows
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.scoring.window import WindowConfig, WindowItem
from moodline.models import regression_dir
from moodline.models.baselines import BASELINES
from moodline.models.datasets import LABEL_INDEX, LabelledSet
from moodline.models.training import metrics

REGRESSION_DIR = regression_dir()


def compare_on(
    dataset: LabelledSet,
    predicted: Sequence[int],
    baselines: Sequence[str],
) -> dict[str, Any]:
    """Metrics of the model and of each fair baseline on one labelled set."""
    result: dict[str, Any] = {"model": metrics(dataset.labels, predicted)}
    for name in baselines:
        result[name] = metrics(dataset.labels, BASELINES[name](dataset.texts))
    return result


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def regression_messages(
    scorer: MessageScorer, file_name: str = "chat_messages.jsonl"
) -> dict[str, Any]:
    """Accuracy on a file of hand-labelled chat messages, overall and per phenomenon."""
    records = read_jsonl(REGRESSION_DIR / file_name)
    scores = scorer.score_many([r["text"] for r in records])
    per: dict[str, list[bool]] = defaultdict(list)
    predicted = []
    for record, score in zip(records, scores, strict=True):
        per[record["phenomenon"]].append(score.label == record["label"])
        predicted.append(LABEL_INDEX[score.label])
    truth = [LABEL_INDEX[r["label"]] for r in records]
    return {
        **metrics(truth, predicted),
        "uncertain_share": round(sum(s.uncertain for s in scores) / len(scores), 4),
        "per_phenomenon": {
            name: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)}
            for name, v in sorted(per.items())
        },
    }


def conversation_failures(scorer: MessageScorer, config: WindowConfig) -> tuple[int, list[str]]:
    """Walk every hand-written conversation; return the number of checked customer turns and a
    line for each turn whose window level is outside the acceptable set."""
    checks, failures = 0, []
    for conversation in read_jsonl(REGRESSION_DIR / "conversations.jsonl"):
        windows = ConversationWindows(config)
        for number, turn in enumerate(conversation["turns"]):
            item = None
            if turn["role"] == "customer":
                s = scorer.score(turn["text"])
                item = WindowItem(str(number), s.score, s.uncertain)
            state = windows.add(conversation["name"], item)
            if "expect" in turn:
                checks += 1
                if state["level"] not in turn["expect"]:
                    failures.append(
                        f"{conversation['name']} turn {number} {turn['text']!r}: "
                        f"{state['level']} ({state['score']:+.2f}) not in {turn['expect']}"
                    )
    return checks, failures


def regression_conversations(scorer: MessageScorer, config: WindowConfig) -> dict[str, Any]:
    """Share of customer turns whose window level falls in the hand-written acceptable set."""
    checks, failures = conversation_failures(scorer, config)
    return {
        "conversations": len(read_jsonl(REGRESSION_DIR / "conversations.jsonl")),
        "turn_checks": checks,
        "passed": round(1 - len(failures) / checks, 4),
    }
