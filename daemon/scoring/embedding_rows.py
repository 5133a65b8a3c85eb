"""The multilingual encoder's 65 MB embedding table kept in a file, read a row at a time.

A message uses a few dozen of the table's 128,010 rows, so the daemon need not hold all of it:
the table is written once, uncompressed, to the cache folder and each encode reads just the rows
it needs (from the OS's page cache after the first time). Reads are ordinary `readinto` calls,
not a memory map: a mapping's fault-around would bring most of the file into the daemon's memory
within a few hundred messages. Figures: `python -m benchmarks.bench_scoring` (daemon RSS).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

COMPARE_ROWS = 4096  # rows compared per read when checking a file against the table


class EmbeddingRows:
    """A 2-D uint8 table on disk, indexed like the array it replaces: `rows[ids]`."""

    def __init__(self, path: Path, shape: tuple[int, int]) -> None:
        self.path, self.shape = path, shape
        self.dtype = np.dtype(np.uint8)
        self._row_bytes = shape[1]
        self._file: io.BufferedReader = path.open("rb")
        self._lock = threading.Lock()  # one seek + read at a time (no pread on Windows)

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        if ids.size and (ids.min() < 0 or ids.max() >= self.shape[0]):
            raise IndexError(f"row id out of range 0..{self.shape[0] - 1}")
        out = np.empty((ids.size, self._row_bytes), dtype=np.uint8)
        with self._lock:
            for k, row in enumerate(ids.tolist()):
                self._file.seek(row * self._row_bytes)
                if self._file.readinto(memoryview(out[k])) != self._row_bytes:
                    raise OSError(f"{self.path} is shorter than its table")
        return out

    def close(self) -> None:
        self._file.close()


def _matches(path: Path, table: np.ndarray) -> bool:
    """Whether `path` holds exactly `table`'s bytes (read in blocks, so the check itself never
    holds a second copy of the table)."""
    if not path.is_file() or path.stat().st_size != table.nbytes:
        return False
    block = COMPARE_ROWS * table.shape[1]
    with path.open("rb") as file:
        for start in range(0, table.shape[0], COMPARE_ROWS):
            expected = table[start : start + COMPARE_ROWS]
            if file.read(min(block, expected.nbytes)) != expected.tobytes():
                return False
    return True


def _write(path: Path, table: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as file:
            for start in range(0, table.shape[0], COMPARE_ROWS):
                file.write(table[start : start + COMPARE_ROWS].tobytes())
        os.replace(partial, path)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


def rows_on_disk(table: np.ndarray, path: Path) -> EmbeddingRows | None:
    """`table` as an `EmbeddingRows` backed by `path` (written, or checked byte for byte when it
    is already there), or None when the file cannot be written or read (the caller keeps the
    table in memory)."""
    if table.dtype != np.uint8 or table.ndim != 2:
        raise ValueError("an embedding table is a 2-D uint8 array")
    table = np.ascontiguousarray(table)
    try:
        if not _matches(path, table):
            _write(path, table)
        return EmbeddingRows(path, (table.shape[0], table.shape[1]))
    except OSError as exc:
        log.warning("keeping the multilingual encoder's table in memory: %s", exc)
        return None
