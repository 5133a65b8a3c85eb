"""The multilingual encoder's embedding table read from a file gives the same vectors as in memory,
and a damaged or unwritable file never changes a score."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from moodline.daemon.scoring.embedding_rows import EmbeddingRows, rows_on_disk
from moodline.daemon.scoring.heads import load_multilingual

TEXTS = [
    "Mi pedido lleva dos semanas de retraso y nadie me contesta",
    "Vielen Dank, das hat sofort geklappt!",
    "注文した商品がまだ届きません",
    "Ок, спасибо",
]


def small_table() -> np.ndarray:
    return np.random.default_rng(7).integers(0, 256, size=(50, 8), dtype=np.uint8)


def test_rows_are_read_back_exactly(tmp_path: Path) -> None:
    table = small_table()
    rows = rows_on_disk(table, tmp_path / "t.rows")
    assert isinstance(rows, EmbeddingRows)
    ids = np.array([3, 0, 49, 3, 17])
    np.testing.assert_array_equal(rows[ids], table[ids])
    with pytest.raises(IndexError):
        rows[np.array([50])]
    rows.close()


def test_a_damaged_file_is_rewritten(tmp_path: Path) -> None:
    table, path = small_table(), tmp_path / "t.rows"
    rows_on_disk(table, path)
    damaged = bytearray(path.read_bytes())
    damaged[123] ^= 0xFF
    path.write_bytes(bytes(damaged))
    rows = rows_on_disk(table, path)
    assert rows is not None
    np.testing.assert_array_equal(rows[np.arange(50)], table)
    assert path.read_bytes() == table.tobytes()


def test_a_short_file_is_rewritten(tmp_path: Path) -> None:
    table, path = small_table(), tmp_path / "t.rows"
    path.write_bytes(table.tobytes()[:100])
    rows = rows_on_disk(table, path)
    assert rows is not None
    np.testing.assert_array_equal(rows[np.arange(50)], table)


def test_a_path_that_cannot_be_a_file_keeps_the_table_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert rows_on_disk(small_table(), blocker / "t.rows") is None


def test_the_encoder_gives_the_same_vectors_with_the_table_on_disk(tmp_path: Path) -> None:
    in_memory, _ = load_multilingual()
    on_disk, _ = load_multilingual(tables=tmp_path)
    assert on_disk.table_on_disk and not in_memory.table_on_disk
    assert len(list(tmp_path.glob("use-m3-*.rows"))) == 1
    np.testing.assert_array_equal(on_disk.encode(TEXTS), in_memory.encode(TEXTS))
    again, _ = load_multilingual(tables=tmp_path)  # the file is checked, not rewritten
    np.testing.assert_array_equal(again.encode(TEXTS), in_memory.encode(TEXTS))
