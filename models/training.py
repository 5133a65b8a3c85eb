"""Fitting and evaluating classifier heads with scikit-learn; saving them as NPZ + metadata."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moodline.daemon.scoring.char_ngrams import NGRAM_RANGE, CharNgrams
from moodline.daemon.scoring.encoders import EMBEDDING_DIM, Encoder
from moodline.daemon.scoring.head import LABELS, ClassifierHead
from moodline.daemon.scoring.text_prep import prepare_text

SEED = 20261122
Progress = Callable[[str], None]


def cached_embeddings(
    encoder: Encoder,
    texts: Sequence[str],
    cache: Path | None,
    progress: Progress,
    label: str,
    prepare: Callable[[str], str] = prepare_text,
) -> np.ndarray:
    """Embeddings of `texts`, cached by encoder name and the exact prepared texts (so a change to
    `prepare_text` never reuses stale vectors) when `cache` is given."""
    prepared = [prepare(t) for t in texts]
    digest = hashlib.sha256("\x1f".join([encoder.name, "prepared", *prepared]).encode())
    path = cache / f"{digest.hexdigest()[:24]}.npy" if cache else None
    embeddings: np.ndarray
    if path and path.is_file():
        embeddings = np.load(path, allow_pickle=False)
    else:
        rows = []
        step = 1024
        for start in range(0, len(texts), step):
            progress(f"encoding {label}: {start}/{len(texts)}")
            rows.append(encoder.encode(prepared[start : start + step]))
        progress(f"encoding {label}: {len(texts)}/{len(texts)}")
        embeddings = np.vstack(rows) if rows else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, embeddings, allow_pickle=False)
    return embeddings


@dataclass(frozen=True)
class HeadConfig:
    """Hyper-parameters of the logistic-regression head."""

    c: float = 0.5
    max_iter: int = 3000


def fit_head(
    features: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    config: HeadConfig = HeadConfig(),
) -> ClassifierHead:
    """StandardScaler + multinomial LogisticRegression, exported to a numpy `ClassifierHead`."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(features, sample_weight=weights)
    model = LogisticRegression(C=config.c, max_iter=config.max_iter, random_state=SEED)
    model.fit(scaler.transform(features), labels, sample_weight=weights)
    if list(model.classes_) != list(range(len(LABELS))):
        raise ValueError("training data must contain all three labels")
    scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
    return ClassifierHead(
        mean=scaler.mean_.astype(np.float32),
        scale=scale.astype(np.float32),
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
    )


@dataclass(frozen=True)
class MlpConfig:
    """Hyper-parameters of the one-hidden-layer head (scikit-learn's MLPClassifier, Adam)."""

    hidden: int = 256
    alpha: float = 1e-2  # L2 penalty
    epochs: int = 60


def fit_mlp_head(
    features: np.ndarray, labels: np.ndarray, weights: np.ndarray, config: MlpConfig
) -> ClassifierHead:
    """StandardScaler + one hidden ReLU layer + softmax, exported to a numpy `ClassifierHead`.
    A fixed number of epochs, no early stopping: the data's weights decide, not a random split."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(features, sample_weight=weights)
    model = MLPClassifier(
        hidden_layer_sizes=(config.hidden,),
        alpha=config.alpha,
        max_iter=config.epochs,
        random_state=SEED,
    )
    with warnings.catch_warnings():  # a fixed epoch budget "does not converge" by design
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(scaler.transform(features), labels, sample_weight=weights)
    if list(model.classes_) != list(range(len(LABELS))):
        raise ValueError("training data must contain all three labels")
    scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
    (hidden_weights, output_weights), (hidden_bias, output_bias) = model.coefs_, model.intercepts_
    return ClassifierHead(
        mean=scaler.mean_.astype(np.float32),
        scale=scale.astype(np.float32),
        coef=output_weights.T.astype(np.float32),
        intercept=output_bias.astype(np.float32),
        hidden_weights=hidden_weights.T.astype(np.float32),
        hidden_bias=hidden_bias.astype(np.float32),
    )


@dataclass(frozen=True)
class CharNgramConfig:
    """Hyper-parameters of the character n-gram part of a head (TF-IDF + logistic regression)."""

    min_df: int = 3  # n-grams in fewer messages than this are left out of the vocabulary
    c: float = 16.0
    weight: float = 2.0  # how much its logits count beside the embedding head's


def fit_char_ngrams(
    texts: Sequence[str],
    labels: np.ndarray,
    weights: np.ndarray,
    config: CharNgramConfig = CharNgramConfig(),
) -> CharNgrams:
    """scikit-learn's TfidfVectorizer (`char_wb`, sublinear) + LogisticRegression over prepared
    texts, exported to the numpy `CharNgrams` the daemon runs."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=NGRAM_RANGE, min_df=config.min_df, sublinear_tf=True
    )
    features = vectorizer.fit_transform(list(texts))
    model = LogisticRegression(C=config.c, max_iter=5000, random_state=SEED)
    model.fit(features, labels, sample_weight=weights)
    if list(model.classes_) != list(range(len(LABELS))):
        raise ValueError("training data must contain all three labels")
    vocabulary = vectorizer.get_feature_names_out()  # sorted, as the vocabulary's columns are
    return CharNgrams(
        vocabulary=np.asarray(vocabulary, dtype=str),
        idf=vectorizer.idf_.astype(np.float32),
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
        weight=config.weight,
    )


def metrics(true: Sequence[int], predicted: Sequence[int]) -> dict[str, float]:
    """Accuracy and macro-F1 over the three labels."""
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "n": float(len(true)),
        "accuracy": round(float(accuracy_score(true, predicted)), 4),
        "macro_f1": round(
            float(f1_score(true, predicted, average="macro", labels=[0, 1, 2], zero_division=0)), 4
        ),
    }


TEMPERATURES = tuple(1.0 + 0.25 * i for i in range(21))  # 1.0 .. 6.0


def intensity_temperature(
    head: ClassifierHead,
    embeddings: np.ndarray,
    ratings: Sequence[float],
    temperatures: Sequence[float] = TEMPERATURES,
) -> tuple[float, dict[str, float]]:
    """The softmax temperature whose score (P(pos) - P(neg)) best matches human intensity ratings
    in [-1, 1] (least squares). Labels do not change with it; how far a score goes does, and so
    how fast a conversation's level moves. Returns it and the fit at 1.0 and at it."""
    target = np.asarray(ratings, dtype=np.float64)

    def error(temperature: float) -> float:
        probabilities = head.with_temperature(temperature).probabilities(embeddings)
        return float(((probabilities[:, 2] - probabilities[:, 0] - target) ** 2).mean())

    best = min(temperatures, key=error)
    return best, {"mse_at_1": round(error(1.0), 4), "mse": round(error(best), 4)}


def strength_temperature(
    head: ClassifierHead,
    embeddings: np.ndarray,
    reference: Sequence[float],
    labels: Sequence[int],
    temperatures: Sequence[float] = TEMPERATURES,
    texts: Sequence[str] | None = None,
) -> tuple[float, dict[str, object]]:
    """The softmax temperature whose mean score per label (how strong a typical negative,
    neutral or positive message reads) best matches `reference` scores of the same messages
    (least squares over the three means). Unlike a per-message fit, it does not shrink every
    score to hedge against the head's confident mistakes. `texts` (prepared) go with the
    embeddings to a head with a character n-gram part. Returns it and the means at it."""
    target, label = np.asarray(reference, dtype=np.float64), np.asarray(labels)
    present = [k for k in range(len(LABELS)) if (label == k).any()]
    wanted = [float(target[label == k].mean()) for k in present]

    def scores(temperature: float) -> np.ndarray:
        probabilities = head.with_temperature(temperature).probabilities(embeddings, texts)
        return np.asarray(probabilities[:, 2] - probabilities[:, 0], dtype=np.float64)

    def means(temperature: float) -> list[float]:
        score = scores(temperature)
        return [float(score[label == k].mean()) for k in present]

    def error(temperature: float) -> float:
        return sum((got - want) ** 2 for got, want in zip(means(temperature), wanted, strict=True))

    best = min(temperatures, key=error)
    return best, {
        "reference_means": [round(m, 3) for m in wanted],
        "means": [round(m, 3) for m in means(best)],
        "per_message_mse": round(float(((scores(best) - target) ** 2).mean()), 4),
    }
