"""`moodline board`: wires the subscriber, the update feed and the window, and runs them."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication

from moodline.board.feed import INTERVAL_MS, UpdateFeed
from moodline.board.state import TeamState
from moodline.board.subscriber import BrokerConfig, TeamSubscriber
from moodline.board.window import BoardWindow
from moodline.daemon.levels import Level


@dataclass
class Board:
    window: BoardWindow
    feed: UpdateFeed
    subscriber: TeamSubscriber

    def start(self) -> None:
        self.window.show()
        self.subscriber.start()

    def stop(self) -> None:
        self.subscriber.stop()
        self.window.close()


def build_board(
    config: BrokerConfig, threshold: Level | None, interval_ms: int = INTERVAL_MS
) -> Board:
    """The window fed by a subscriber to `config`'s broker (neither started)."""
    window = BoardWindow(TeamState(), threshold, config.team_id)
    feed = UpdateFeed(interval_ms)
    feed.batch.connect(window.apply)
    feed.linkChanged.connect(window.set_link_state)
    subscriber = TeamSubscriber(config, feed.push, feed.push_state)
    return Board(window, feed, subscriber)


def run(config: BrokerConfig, threshold: Level | None) -> int:
    """Run the board until its window is closed (or SIGINT/SIGTERM)."""
    from moodline.widget.app import SignalWaker

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Moodline board")
    board = build_board(config, threshold)
    board.start()
    waker = SignalWaker(app)
    try:
        return app.exec()
    finally:
        waker.close()
        board.stop()
