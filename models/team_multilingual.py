"""A team's own head for the other languages: `moodline train` fits it when the team's labelled
file holds messages the language check sends to the multilingual path (needs the `train` extra)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon.scoring.head import METADATA_FILE, ClassifierHead, read_metadata
from moodline.daemon.scoring.heads import MULTILINGUAL, load_multilingual, multilingual_dir
from moodline.daemon.scoring.language import check_language
from moodline.daemon.scoring.multilingual import MULTILINGUAL_LANGUAGES
from moodline.daemon.scoring.text_prep import prepare_text
from moodline.models.corpus import load_corpus
from moodline.models.multilingual_corpus import labelled
from moodline.models.multilingual_corpus import load_multilingual as load_chats
from moodline.models.train_multilingual import ENGLISH_LEXICAL_WEIGHT, LEXICAL, prepared
from moodline.models.training import SEED, cached_embeddings, fit_char_ngrams, fit_head, metrics

TEAM_WEIGHT = 3.0
MIN_PER_LABEL = 4


def other_language_rows(texts: Sequence[str]) -> list[int]:
    """Indices of the messages the language check sends to the multilingual path."""
    rows = []
    for index, text in enumerate(texts):
        check = check_language(text)
        if not check.supported and check.language in MULTILINGUAL_LANGUAGES:
            rows.append(index)
    return rows


@dataclass(frozen=True)
class TeamMultilingual:
    head: ClassifierHead
    messages: int
    holdout: dict[str, Any]


def fit_team_multilingual(
    texts: Sequence[str],
    labels: np.ndarray,
    holdout: float,
    cache: Path,
    progress: Callable[[str], None],
) -> TeamMultilingual | None:
    """A head over the multilingual encoder from the team's messages (x3) plus the project's
    chat data in every language, judged on a held-out share of the team's messages against the
    shipped multilingual head; None when there are too few of each label."""
    from sklearn.model_selection import train_test_split

    counts = np.bincount(labels, minlength=3)
    if len(texts) == 0 or (counts < MIN_PER_LABEL).any():
        if len(texts):
            progress(
                f"{len(texts)} messages in other languages: too few of each label "
                f"(need {MIN_PER_LABEL}) for their own head; the shipped one scores them"
            )
        return None
    encoder, shipped = load_multilingual(threads=2)

    def embed(batch: Sequence[str], label: str, where: Path | None = None) -> np.ndarray:
        return cached_embeddings(encoder, list(batch), where, progress, label, prepare_text)

    train_idx, test_idx = train_test_split(
        np.arange(len(texts)), test_size=holdout, random_state=SEED, stratify=labels
    )
    team = embed(texts, "messages in other languages")
    project_texts: list[str] = []
    project_labels: list[int] = []
    for lines in load_chats().values():
        part = labelled(lines, in_suite=False, name="chat")
        project_texts += part.texts
        project_labels += part.labels
    other_languages = len(project_texts)
    english = load_corpus().labelled(held_out=False, name="corpus")
    project_texts += english.texts
    project_labels += english.labels
    project = embed(project_texts, "project chat data (all languages)", cache)
    x = np.vstack([team[train_idx], project])
    y = np.concatenate([labels[train_idx], np.array(project_labels)])
    w = np.concatenate([np.full(len(train_idx), TEAM_WEIGHT), np.ones(len(project_labels))])
    progress(f"fitting the other-language head on {len(y)} messages")
    temperature = float(read_metadata(multilingual_dir()).get("temperature", 1.0))
    # The same character n-gram part as the shipped head's, so the team's own words count too.
    words = prepared([texts[i] for i in train_idx] + project_texts)
    word_weights = np.concatenate(
        [
            np.full(len(train_idx), TEAM_WEIGHT),
            np.ones(other_languages),
            np.full(len(project_texts) - other_languages, ENGLISH_LEXICAL_WEIGHT),
        ]
    )
    lexical = fit_char_ngrams(words, y, word_weights, LEXICAL)
    head = fit_head(x, y, w).with_lexical(lexical).with_temperature(temperature)
    held = labels[test_idx].tolist()
    held_texts = prepared([texts[i] for i in test_idx])
    return TeamMultilingual(
        head=head,
        messages=len(texts),
        holdout={
            "share": holdout,
            "this_head": metrics(held, head.labels(team[test_idx], held_texts).tolist()),
            "shipped_head": metrics(held, shipped.labels(team[test_idx], held_texts).tolist()),
        },
    )


def save_team_multilingual(result: TeamMultilingual, team_folder: Path) -> Path:
    """Write the head and its metadata into `<team head>/multilingual/`."""
    folder = team_folder / MULTILINGUAL
    files = result.head.save(folder)
    encoder = read_metadata(multilingual_dir())["encoder"]
    metadata = {
        "kind": "team-multilingual",
        "encoder": {"weights_sha256": encoder["weights_sha256"], "version": encoder["version"]},
        "files": files,
        "n_features": result.head.n_features,
        "messages": result.messages,
        "holdout": result.holdout,
    }
    (folder / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return folder
