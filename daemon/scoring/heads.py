"""Where the shipped model lives (encoder, tokenizer, head) and which heads exist (the shipped one
and a team's own); everything loaded from there is checked against its recorded SHA-256."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from moodline import models
from moodline.daemon.scoring.encoders import ENCODER_FILE, TOKENIZER_FILE, OnnxEncoder
from moodline.daemon.scoring.hashing import ModelIntegrityError, sha256_file
from moodline.daemon.scoring.head import (
    METADATA_FILE,
    ClassifierHead,
    load_head,
    read_metadata,
    verified_file,
)
from moodline.daemon.scoring.multilingual import (
    MULTILINGUAL_DIM,
    PACKAGE,
    MultilingualEncoder,
    weights_file,
)

SHIPPED = "shipped"
MULTILINGUAL = "multilingual"  # the second path's folder inside the shipped model


def shipped_dir() -> Path:
    """The shipped model (encoder, tokenizer, head, metadata) inside the installed package."""
    return models.shipped_head_dir()


def load_shipped_encoder(threads: int = 1) -> OnnxEncoder:
    """The shipped encoder, after checking its files' SHA-256."""
    folder = shipped_dir()
    metadata = read_metadata(folder)
    model = verified_file(folder, ENCODER_FILE, metadata)
    tokenizer = verified_file(folder, TOKENIZER_FILE, metadata)
    encoder = OnnxEncoder(model, tokenizer, threads=threads)
    encoder.name = f"onnx:{metadata['files'][ENCODER_FILE]['sha256'][:16]}"  # names cached vectors
    return encoder


def multilingual_dir() -> Path:
    """The multilingual path's head and metadata, inside the shipped model."""
    return shipped_dir() / MULTILINGUAL


def has_multilingual() -> bool:
    return (multilingual_dir() / METADATA_FILE).is_file()


def load_multilingual(
    threads: int = 1, tables: Path | None = None
) -> tuple[MultilingualEncoder, ClassifierHead]:
    """The multilingual encoder and its head, after checking the head's file and the installed
    encoder's weights against the SHA-256 the head was trained with. With `tables` (a cache
    folder), the encoder's embedding table is read from a file there instead of held in memory."""
    head, metadata = load_head(multilingual_dir(), n_features=MULTILINGUAL_DIM)
    expected = metadata.get("encoder", {}).get("weights_sha256")
    actual = sha256_file(weights_file())
    if expected != actual:
        raise ModelIntegrityError(
            f"the installed {PACKAGE} weights ({actual[:12]}...) are not the ones the "
            f"multilingual head was trained on ({str(expected)[:12]}...); reinstall Moodline"
        )
    table_file = None if tables is None else tables / f"use-m3-{actual[:16]}.rows"
    return MultilingualEncoder(threads, table_file), head


def verify_shipped_files() -> dict[str, Any]:
    """Check every shipped model file against its recorded SHA-256; return the metadata."""
    folder = shipped_dir()
    metadata = read_metadata(folder)
    for name in metadata.get("files", {}):
        verified_file(folder, name, metadata)
    return metadata


def load_shipped_head() -> tuple[ClassifierHead, dict[str, Any]]:
    """The shipped head and its metadata, checked against its recorded SHA-256."""
    return load_head(shipped_dir())


class HeadRegistry:
    """The heads a user can pick: the shipped one, and the team heads in one folder."""

    def __init__(self, team_heads: Path) -> None:
        self.team_heads = team_heads

    def folder(self, name: str) -> Path:
        """The folder of head `name`: the installed package's for `shipped`, else a team head's."""
        if name == SHIPPED:
            return shipped_dir()
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ModelIntegrityError(f"invalid head name {name!r}")
        return self.team_heads / name

    def load(self, name: str) -> tuple[ClassifierHead, dict[str, Any]]:
        """Head `name` and its metadata; a team head must fit the shipped encoder."""
        if name == SHIPPED:
            return load_shipped_head()
        folder = self.folder(name)
        if not (folder / METADATA_FILE).is_file():
            raise ModelIntegrityError(
                f"no head named {name!r} (looked in {folder}); "
                "list heads with `moodline model list`"
            )
        head, metadata = load_head(folder)
        _check_same_encoder(name, metadata)
        return head, metadata

    def load_multilingual(self, name: str) -> ClassifierHead | None:
        """Team head `name`'s own head for the other languages, when `moodline train` made one
        (None: the shipped multilingual head scores them)."""
        if name == SHIPPED:
            return None
        folder = self.folder(name) / MULTILINGUAL
        if not (folder / METADATA_FILE).is_file():
            return None
        head, metadata = load_head(folder, n_features=MULTILINGUAL_DIM)
        shipped = read_metadata(multilingual_dir()).get("encoder", {}).get("weights_sha256")
        if metadata.get("encoder", {}).get("weights_sha256") != shipped:
            raise ModelIntegrityError(
                f"head {name!r} was trained for another multilingual encoder; "
                "train it again (`moodline train`)"
            )
        return head

    def available(self) -> list[str]:
        """`shipped` first, then the team heads by name."""
        names = [SHIPPED]
        if self.team_heads.is_dir():
            names += sorted(
                p.name for p in self.team_heads.iterdir() if (p / METADATA_FILE).is_file()
            )
        return names


def _check_same_encoder(name: str, metadata: dict[str, Any]) -> None:
    """A team head reads the shipped encoder's embeddings: refuse one made for another encoder."""
    shipped = read_metadata(shipped_dir()).get("files", {}).get(ENCODER_FILE, {}).get("sha256")
    trained_on = metadata.get("encoder", {}).get("onnx_sha256")
    if trained_on != shipped:
        raise ModelIntegrityError(
            f"head {name!r} was trained on another encoder than this Moodline ships; "
            f"train it again (`moodline train`) or go back with `moodline model use shipped`"
        )
