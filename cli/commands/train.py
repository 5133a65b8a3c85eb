"""`moodline train`: a team's own head from its labelled chats plus the agents' corrections."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from moodline.commands.options import add_data_dir
from moodline.daemon.locations import Locations
from moodline.daemon.scoring.head import LABELS, METADATA_FILE
from moodline.daemon.scoring.heads import SHIPPED, HeadRegistry, load_shipped_head
from moodline.errors import UsageError


def _progress(text: str) -> None:
    print(f"[train] {text}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from moodline.commands.model import tell_daemon_to_reload
    from moodline.daemon.runtime import load_encoder
    from moodline.daemon.scoring.hashing import sha256_file, sha256_text
    from moodline.daemon.settings import update_settings
    from moodline.models.datasets import DataFileError, LabelledSet, labelled_file

    try:
        from sklearn.model_selection import train_test_split

        from moodline.models.training import SEED, cached_embeddings, fit_head, metrics
    except ImportError as exc:
        raise UsageError(
            "training needs scikit-learn, which an agent's install leaves out; "
            "install it with: pip install 'moodline[train]'"
        ) from exc

    data_path = Path(args.data).expanduser()
    name = args.name or re.sub(r"[^A-Za-z0-9_.-]", "-", data_path.stem)[:64] or "team"
    if name == SHIPPED:
        raise UsageError("'shipped' is the built-in head; pick another --name")
    if not 0.05 <= args.holdout <= 0.5:
        raise UsageError("--holdout must be between 0.05 and 0.5")
    try:
        team = labelled_file(data_path)
    except DataFileError as exc:
        raise UsageError(str(exc)) from exc
    corrections = LabelledSet("corrections")
    locations: Locations = args.locations
    heads = HeadRegistry(locations.heads)
    database = locations.history_database
    if not args.no_corrections and database.is_file():
        from moodline.daemon.store.history import HistoryStore

        store = HistoryStore(database)
        for row in store.corrections():
            corrections.add(row["text"], row["label"])
        store.close()
    _progress(
        f"{len(team)} labelled messages from {data_path.name}, {len(corrections)} agent corrections"
    )

    texts = team.texts + corrections.texts
    labels = np.array(team.labels + corrections.labels)
    counts = np.bincount(labels, minlength=3)
    if (counts < 4).any():
        raise UsageError(
            "need at least 4 examples of each label "
            f"({', '.join(f'{lab}: {n}' for lab, n in zip(LABELS, counts, strict=True))})"
        )
    train_idx, test_idx = train_test_split(
        np.arange(len(texts)), test_size=args.holdout, random_state=SEED, stratify=labels
    )
    encoder = load_encoder(threads=2)
    shipped, shipped_metadata = load_shipped_head()
    embeddings = cached_embeddings(encoder, texts, None, _progress, "messages")

    from moodline.models import chat_seed_file
    from moodline.models.corpus import load_corpus

    # Your training messages count three times a project chat example; the project's chat data
    # (the corpus the shipped head learnt from, and the chat seed) keeps the head general.
    project = load_corpus().labelled(held_out=False, name="corpus")
    seed = labelled_file(chat_seed_file(), "chat-seed")
    project.texts += seed.texts
    project.labels += seed.labels
    project_embeddings = cached_embeddings(
        encoder, project.texts, locations.embedding_cache, _progress, "project"
    )
    train_x = np.vstack([embeddings[train_idx], project_embeddings])
    train_y = np.concatenate([labels[train_idx], np.array(project.labels)])
    weights = np.concatenate([np.full(len(train_idx), 3.0), np.ones(len(project))])
    _progress(
        f"fitting on {len(train_y)} messages ({len(train_idx)} yours + "
        f"{len(project)} project chat examples)"
    )
    head = fit_head(train_x, train_y, weights)
    held_y = labels[test_idx]
    new_pred = head.labels(embeddings[test_idx])
    shipped_pred = shipped.labels(embeddings[test_idx])
    new_metrics = metrics(held_y.tolist(), new_pred.tolist())
    shipped_metrics = metrics(held_y.tolist(), shipped_pred.tolist())
    folder = heads.folder(name)
    heads.team_heads.mkdir(parents=True, exist_ok=True)
    files = head.save(folder)
    metadata = {
        "name": name,
        "kind": "team",
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "encoder": {"onnx_sha256": shipped_metadata["encoder"]["onnx_sha256"]},
        "files": files,
        "n_features": head.n_features,
        "training_data": {
            "file": data_path.name,
            "file_sha256": sha256_file(data_path),
            "messages": len(team),
            "corrections": len(corrections),
            "corrections_sha256": sha256_text("\n".join(corrections.texts)),
            "project_chat_examples": len(project),
        },
        "holdout": {
            "share": args.holdout,
            "this_head": new_metrics,
            "shipped_head": shipped_metrics,
        },
    }
    from moodline.models.team_multilingual import (
        fit_team_multilingual,
        other_language_rows,
        save_team_multilingual,
    )

    # Messages in the multilingual path's languages also get a head of their own.
    other = other_language_rows(texts)
    second = fit_team_multilingual(
        [texts[i] for i in other], labels[other], args.holdout, locations.embedding_cache, _progress
    )
    if second is not None:
        save_team_multilingual(second, folder)
        metadata["other_languages"] = {"messages": second.messages, "holdout": second.holdout}
    (folder / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    report = {"head": name, "folder": str(folder), "holdout": metadata["holdout"]}
    if second is not None:
        report["other_languages"] = metadata["other_languages"]
    print(json.dumps(report, indent=2))
    print(
        f"held-out macro-F1: this head {new_metrics['macro_f1']:.3f}, "
        f"shipped head {shipped_metrics['macro_f1']:.3f}",
        file=sys.stderr,
    )
    if second is not None:
        other_metrics = second.holdout
        print(
            f"other languages ({second.messages} messages), held-out macro-F1: this head "
            f"{other_metrics['this_head']['macro_f1']:.3f}, shipped multilingual head "
            f"{other_metrics['shipped_head']['macro_f1']:.3f}",
            file=sys.stderr,
        )
    if args.activate:
        update_settings({"active_head": name}, locations.settings_file)
        print(f"active head: {name}; {tell_daemon_to_reload(locations)}", file=sys.stderr)
    else:
        print(
            f"switch to it with `moodline model use {name}` "
            "(and back with `moodline model use shipped`)",
            file=sys.stderr,
        )
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("train", help="train your own head from labelled chat messages")
    p.add_argument("--data", required=True, help="CSV (text,label) or JSONL file")
    p.add_argument("--name", default=None, help="name of the new head (default: from file)")
    p.add_argument(
        "--no-corrections", action="store_true", help="leave the agents' stored corrections out"
    )
    p.add_argument("--holdout", type=float, default=0.2, help="share held out for evaluation")
    p.add_argument("--activate", action="store_true", help="switch the daemon to the new head")
    add_data_dir(p)
    p.set_defaults(run=run)
