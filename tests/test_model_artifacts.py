"""The shipped artifacts: hashes match the metadata, the card matches both, tampering is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from moodline.daemon.scoring.fast_path import MIN_LABEL_AGREEMENT, read_manifest
from moodline.daemon.scoring.hashing import ModelIntegrityError, sha256_file
from moodline.daemon.scoring.head import HEAD_FILE, METADATA_FILE, load_head
from moodline.daemon.scoring.memory import FEATURE_NAMES as MEMORY_FEATURES
from moodline.daemon.scoring.memory import MEMORY_FILE
from moodline.daemon.scoring.text_prep import FEATURE_SET
from moodline.models import shipped_head_dir
from moodline.models.card import render_card

CARD = Path(__file__).resolve().parents[1] / "models" / "MODEL_CARD.md"


def test_metadata_matches_the_head_file() -> None:
    folder = shipped_head_dir()
    metadata = json.loads((folder / METADATA_FILE).read_text())
    assert metadata["files"][HEAD_FILE]["sha256"] == sha256_file(folder / HEAD_FILE)
    head, _ = load_head(folder)
    assert head.n_features == metadata["n_features"] == 384 + 8 + len(MEMORY_FEATURES)
    assert metadata["features"] == {**FEATURE_SET, "memory": list(MEMORY_FEATURES)}
    assert head.memory is not None and len(head.memory.labels) == metadata["memory"]["examples"]
    assert metadata["files"][MEMORY_FILE]["sha256"] == sha256_file(folder / MEMORY_FILE)
    assert metadata["labels"] == ["negative", "neutral", "positive"]
    assert not (folder / HEAD_FILE).read_bytes().startswith(b"\x80"), "not a pickle"


def test_card_is_generated_from_the_metadata() -> None:
    metadata = json.loads((shipped_head_dir() / METADATA_FILE).read_text())
    assert CARD.read_text() == render_card(metadata)
    card = CARD.read_text()
    assert metadata["files"][HEAD_FILE]["sha256"] in card
    for name, result in metadata["metrics"].items():
        assert f"| {name} |" in card and f"{result['model']['macro_f1']:.3f}" in card


def test_model_beats_baselines_on_fair_dev_sets() -> None:
    metrics = json.loads((shipped_head_dir() / METADATA_FILE).read_text())["metrics"]
    for name, result in metrics.items():
        for baseline in ("vader", "textblob"):
            if baseline in result:
                assert result["model"]["macro_f1"] > result[baseline]["macro_f1"] + 0.03, name


def test_tampered_head_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "head"
    shutil.copytree(shipped_head_dir(), copy)
    with np.load(copy / HEAD_FILE) as arrays:
        params = {k: arrays[k] for k in arrays.files}
    params["intercept"] = params["intercept"] + 1.0
    with (copy / HEAD_FILE).open("wb") as handle:
        np.savez(handle, **params)
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_head(copy)


def test_fast_path_was_verified_against_the_reference(fast_encoder: object) -> None:
    manifest = read_manifest()
    assert manifest is not None
    assert manifest["verification"]["label_agreement"] >= MIN_LABEL_AGREEMENT
    shipped = json.loads((shipped_head_dir() / METADATA_FILE).read_text())
    assert shipped["fast_path_agreement"]["label_agreement"] >= MIN_LABEL_AGREEMENT


def test_linear_head_matches_scikit_learn() -> None:
    from sklearn.linear_model import LogisticRegression

    from moodline.models.training import fit_head

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 6)).astype(np.float32)
    y = np.argmax(x[:, :3] + rng.normal(scale=0.3, size=(300, 3)), axis=1)
    head = fit_head(x, y, np.ones(300))
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    reference = LogisticRegression(C=0.5, max_iter=3000, random_state=20261122).fit(
        scaler.transform(x), y
    )
    np.testing.assert_allclose(
        head.probabilities(x), reference.predict_proba(scaler.transform(x)), atol=1e-4
    )
