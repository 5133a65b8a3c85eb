"""The review window's daemon calls: the filtered history and its export to a file, off the GUI
thread (the link's futures), with results and progress as signals."""

from __future__ import annotations

import concurrent.futures
import itertools
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from moodline.widget.link import DaemonLink, Download
from moodline.widget.review_filter import ReviewFilter


class HistoryLoader(QObject):
    """`search` asks the daemon for the filtered conversations; only the latest answer counts."""

    loaded = Signal(list)
    failed = Signal(str)

    def __init__(self, link: DaemonLink) -> None:
        super().__init__()
        self.link = link
        self._counter = itertools.count(1)
        self._latest = 0

    def search(self, which: ReviewFilter) -> None:
        number = self._latest = next(self._counter)

        def done(f: concurrent.futures.Future[dict[str, Any]]) -> None:
            if number != self._latest:
                return  # a newer search is on its way
            try:
                self.loaded.emit(list(f.result().get("conversations", [])))
            except Exception as exc:
                self.failed.emit(str(exc) or type(exc).__name__)

        self.link.request("GET", which.conversations_path()).add_done_callback(done)


class ExportJob(QObject):
    """Streams `GET /v1/export` for a filter into a file; one export at a time."""

    progress = Signal(int, int)  # bytes written, total bytes (-1 when unknown)
    finished = Signal(str, int)  # the file, messages exported (-1 when unknown)
    failed = Signal(str)

    def __init__(self, link: DaemonLink) -> None:
        super().__init__()
        self.link = link
        self.busy = False

    def start(self, which: ReviewFilter, fmt: str, destination: Path) -> bool:
        """Start an export; False (and nothing started) while another one runs."""
        if self.busy:
            return False
        self.busy = True

        def progress(done: int, total: int | None) -> None:
            self.progress.emit(done, -1 if total is None else total)

        def done(f: concurrent.futures.Future[Download]) -> None:
            self.busy = False
            try:
                result = f.result()
            except Exception as exc:
                self.failed.emit(str(exc) or type(exc).__name__)
                return
            self.finished.emit(str(result.path), -1 if result.rows is None else result.rows)

        future = self.link.download(which.export_path(fmt), destination, progress)
        future.add_done_callback(done)
        return True
