"""The shipped artifacts: hashes match the metadata, the card matches both, tampering is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from moodline.daemon.scoring.encoders import ENCODER_FILE, TOKENIZER_FILE, OnnxEncoder
from moodline.daemon.scoring.hashing import ModelIntegrityError, sha256_file
from moodline.daemon.scoring.head import HEAD_FILE, METADATA_FILE, load_head
from moodline.models import shipped_head_dir
from moodline.models.card import render_card

CARD = Path(__file__).resolve().parents[2] / "models" / "MODEL_CARD.md"


def test_metadata_matches_every_shipped_file() -> None:
    folder = shipped_head_dir()
    metadata = json.loads((folder / METADATA_FILE).read_text())
    shipped = {p.name for p in folder.iterdir() if p.is_file() and p.name != METADATA_FILE}
    assert shipped == set(metadata["files"]) == {HEAD_FILE, ENCODER_FILE, TOKENIZER_FILE}
    assert {p.name for p in folder.iterdir() if p.is_dir()} == {"multilingual"}
    second = folder / "multilingual"
    second_metadata = json.loads((second / METADATA_FILE).read_text())
    assert {p.name for p in second.iterdir()} == {HEAD_FILE, METADATA_FILE}
    assert second_metadata["files"][HEAD_FILE]["sha256"] == sha256_file(second / HEAD_FILE)
    for name, entry in metadata["files"].items():
        assert entry["sha256"] == sha256_file(folder / name), name
    assert metadata["encoder"]["onnx_sha256"] == metadata["files"][ENCODER_FILE]["sha256"]
    head, _ = load_head(folder)
    assert head.n_features == metadata["n_features"] == 384
    assert metadata["text_preparation"] == {"emoji_spelled_out": True, "negation_rule": False}
    assert metadata["labels"] == ["negative", "neutral", "positive"]
    assert not (folder / HEAD_FILE).read_bytes().startswith(b"\x80"), "not a pickle"


def test_one_shipped_encoder_file_small_enough_for_git() -> None:
    size = (shipped_head_dir() / ENCODER_FILE).stat().st_size
    assert size < 30 * 2**20, f"{size / 2**20:.1f} MB"


def test_card_is_generated_from_the_metadata() -> None:
    metadata = json.loads((shipped_head_dir() / METADATA_FILE).read_text())
    multilingual = json.loads((shipped_head_dir() / "multilingual" / METADATA_FILE).read_text())
    assert CARD.read_text() == render_card(metadata, multilingual)
    card = CARD.read_text()
    assert metadata["files"][HEAD_FILE]["sha256"] in card
    for name, result in metadata["metrics"].items():
        assert f"| {name} |" in card and f"{result['model']['macro_f1']:.3f}" in card
    for language, suite in multilingual["evaluation"]["chat_suites"].items():
        assert f"| {language} |" in card and f"{suite['macro_f1']:.3f}" in card
    evaluation = multilingual["evaluation"]
    english_lines = f"this path {evaluation['xed_english']['macro_f1']:.3f}"
    assert english_lines in card, "the XED column's in-language reference"
    assert f"the English path {evaluation['xed_english_on_english_path']:.3f}" in card
    for name, result in evaluation["suite_phenomena"].items():
        assert f"| {name} | {result['n']} | {result['accuracy']:.3f}" in card


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


def test_shipped_onnx_encoder_was_verified_against_its_torch_model() -> None:
    shipped = json.loads((shipped_head_dir() / METADATA_FILE).read_text())
    assert shipped["onnx_agreement"]["label_agreement"] >= 0.99
    assert shipped["onnx_agreement"]["texts"] >= 5000


def test_tampered_encoder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from moodline.daemon.scoring import heads
    from moodline.daemon.scoring.heads import load_shipped_encoder

    copy = tmp_path / "shipped"
    shutil.copytree(shipped_head_dir(), copy)
    with (copy / ENCODER_FILE).open("r+b") as handle:
        handle.seek(100_000)
        handle.write(b"tampered")
    monkeypatch.setattr(heads, "shipped_dir", lambda: copy)
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_shipped_encoder()


def test_shipped_encoder_embeds_like_the_suite_encoder(fast_encoder: OnnxEncoder) -> None:
    vectors = fast_encoder.encode(["thanks, that fixed it", "still waiting..."])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


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
