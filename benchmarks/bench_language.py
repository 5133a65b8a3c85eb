"""The language check's figures: English chat messages wrongly set aside, other languages caught,
which path the multilingual chat corpus takes, and the cost per message.
Run: python -m benchmarks.bench_language (needs ../shared/data).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from moodline.daemon.scoring.conversation_language import conversation_language, in_conversation
from moodline.daemon.scoring.language import check_language, warm_up_in_background
from moodline.models import regression_dir
from moodline.models.corpus import load_corpus
from moodline.models.multilingual_corpus import load_multilingual

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def english_texts() -> dict[str, list[str]]:
    suites = [
        json.loads(line)["text"]
        for name in ("chat_messages.jsonl", "hard_messages.jsonl")
        for line in (regression_dir() / name).read_text(encoding="utf-8").splitlines()
    ]
    tweets = (DATA / "tweeteval-sentiment/val_text.txt").read_text(encoding="utf-8").splitlines()
    return {
        "chat corpus + suites": [m.text for m in load_corpus().messages] + suites,
        "tweeteval-val": tweets,
    }


def main() -> int:
    started = time.perf_counter()
    warm_up_in_background().join()
    results: dict[str, object] = {"load_s": round(time.perf_counter() - started, 2)}
    for name, texts in english_texts().items():
        started = time.perf_counter()
        flagged = [t for t in texts if not check_language(t).supported]
        per_message = (time.perf_counter() - started) / len(texts) * 1000
        results[f"english_set_aside: {name}"] = {
            "texts": len(texts),
            "set_aside": len(flagged),
            "examples": flagged[:5],
            "ms_per_message": round(per_message, 3),
        }
    caught = {}
    for path in sorted((DATA / "xed-projections").glob("*.tsv")):
        rows = path.read_text(encoding="utf-8").splitlines()
        lines = [row.split("\t", 1)[1] for row in rows]
        caught[path.stem] = round(
            sum(not check_language(t).supported for t in lines) / len(lines), 3
        )
    results["other_languages_recognised (xed-projections, share of lines)"] = caught
    routed: dict[str, object] = {}
    for language, chats in sorted(load_multilingual().items()):
        checks = [check_language(chat.text) for chat in chats]
        second = sum(c.language == language and not c.supported for c in checks)
        english = [chat.text for chat, c in zip(chats, checks, strict=True) if c.supported]
        # the same lines late in a chat whose customer has been writing in that language
        in_chat = [in_conversation(c, conversation_language([language] * 3)) for c in checks]
        routed[language] = {
            "messages": len(chats),
            "multilingual_path_right_language": round(second / len(chats), 3),
            "right_language_in_a_chat_already_in_it": round(
                sum(c.language == language for c in in_chat) / len(chats), 3
            ),
            "english_path": round(len(english) / len(chats), 3),
            "english_path_examples": english[:3],
        }
    results["multilingual chat corpus: which path each message takes"] = routed
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
