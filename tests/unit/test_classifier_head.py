"""The classifier head with a hidden layer (the multilingual path's): saved and loaded exactly,
refused when its layers do not fit, softened by a temperature without changing a label."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from moodline.daemon.scoring.hashing import ModelIntegrityError
from moodline.daemon.scoring.head import METADATA_FILE, ClassifierHead, load_head
from moodline.daemon.scoring.heads import multilingual_dir
from moodline.models.training import strength_temperature

FEATURES, HIDDEN = 6, 4


def mlp_head(seed: int = 3) -> ClassifierHead:
    rng = np.random.default_rng(seed)
    return ClassifierHead(
        mean=rng.normal(size=FEATURES).astype(np.float32),
        scale=rng.uniform(0.5, 2, size=FEATURES).astype(np.float32),
        coef=rng.normal(size=(3, HIDDEN)).astype(np.float32),
        intercept=rng.normal(size=3).astype(np.float32),
        hidden_weights=rng.normal(size=(HIDDEN, FEATURES)).astype(np.float32),
        hidden_bias=rng.normal(size=HIDDEN).astype(np.float32),
    )


def saved(head: ClassifierHead, folder: Path) -> Path:
    files = head.save(folder)
    (folder / METADATA_FILE).write_text(json.dumps({"files": files, "n_features": FEATURES}))
    return folder


def test_a_hidden_layer_head_round_trips(tmp_path: Path) -> None:
    head = mlp_head()
    loaded, _ = load_head(saved(head, tmp_path), n_features=FEATURES)
    x = np.random.default_rng(9).normal(size=(20, FEATURES)).astype(np.float32)
    assert loaded.kind == "mlp" and head.kind == "mlp"
    np.testing.assert_allclose(loaded.probabilities(x), head.probabilities(x), rtol=1e-6)
    # by hand: standardise, ReLU layer, linear layer, softmax
    assert head.hidden_weights is not None
    z = np.maximum(((x - head.mean) / head.scale) @ head.hidden_weights.T + head.hidden_bias, 0)
    logits = z @ head.coef.T + head.intercept
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(head.probabilities(x), expected, rtol=1e-5)


def test_layers_that_do_not_fit_are_refused(tmp_path: Path) -> None:
    good = mlp_head()
    assert good.hidden_weights is not None
    narrow = good.hidden_weights[:, :-1]
    broken = replace(good, hidden_weights=narrow)
    with pytest.raises(ModelIntegrityError, match="layers"):
        load_head(saved(broken, tmp_path), n_features=FEATURES)


def test_a_temperature_softens_but_keeps_every_label() -> None:
    head = mlp_head()
    x = np.random.default_rng(5).normal(size=(50, FEATURES)).astype(np.float32)
    soft = head.with_temperature(4.0)
    assert (soft.labels(x) == head.labels(x)).all()
    assert soft.probabilities(x).max() < head.probabilities(x).max()


def test_the_scale_fit_matches_mean_scores_per_label() -> None:
    head = mlp_head()
    x = np.random.default_rng(11).normal(size=(300, FEATURES)).astype(np.float32)
    labels = head.labels(x).tolist()
    target_head = head.with_temperature(3.0)
    p = target_head.probabilities(x)
    reference = (p[:, 2] - p[:, 0]).tolist()
    best, fit = strength_temperature(head, x, reference, labels, (1.0, 2.0, 3.0, 4.0, 5.0))
    assert best == 3.0 and fit["means"] == fit["reference_means"]


def test_the_shipped_multilingual_head_has_its_hidden_layer() -> None:
    head, metadata = load_head(multilingual_dir(), n_features=512)
    assert head.hidden_weights is not None and metadata["head"]["kind"] == head.kind
    assert head.hidden_weights is not None
    assert head.hidden_weights.shape == (metadata["head"]["hidden"], 512)
