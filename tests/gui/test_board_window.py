"""`moodline board`'s window through a real Mosquitto: retained state at start, worst first; live
updates move rows; alerts reach the feed and the desktop notification; offline agents greyed;
cleared chats go; the site filter; a clicked chat shows its timeline. Offscreen Qt."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from moodline.board.app import Board, build_board
from moodline.board.state import Row
from moodline.board.subscriber import BrokerConfig, LinkState
from moodline.board.table_model import AT_LEVEL, LEVEL, NAME, SCORES, SCORES_ROLE, TREND
from moodline.board.window import CLOSED
from moodline.daemon.levels import Level
from moodline.daemon.settings import parse_broker_url
from moodline.daemon.team.topics import conversation_key, conversation_topic
from tests.support.mosquitto import Mosquitto
from tests.support.team_messages import (
    Message,
    alert,
    cleared,
    conversation_state,
    presence,
    publish,
)

pytestmark = pytest.mark.gui
TEAM = "support-eu"
WAIT_MS = 5000


@pytest.fixture
def board(qtbot: QtBot, broker: Mosquitto) -> Iterator[Board]:
    config = BrokerConfig(parse_broker_url(broker.url), TEAM)
    made = build_board(config, Level.NEGATIVE)
    qtbot.addWidget(made.window)
    yield made
    made.stop()


def two_agents() -> list[Message]:
    """ann: a negative and a neutral chat (zammad, chatwoot); bob: a very negative chat."""
    now = time.time()
    return [
        presence(TEAM, "ann", True),
        presence(TEAM, "bob", True),
        conversation_state(
            TEAM,
            "ann",
            "zammad:1",
            "negative",
            score=-0.4,
            site="zammad",
            scores=(0.2, -0.1, -0.4),
            customer_messages=5,
            trend="falling",
            updated_at=now - 90,
        ),
        conversation_state(TEAM, "ann", "chatwoot:2", "neutral", score=0.0, updated_at=now - 30),
        conversation_state(
            TEAM,
            "bob",
            "chatwoot:3",
            "very_negative",
            score=-0.7,
            scores=(-0.3, -0.7),
            customer_messages=2,
            updated_at=now - 10,
        ),
    ]


def shown(board: Board) -> list[str]:
    """The board's rows as `agent` or `agent/conversation id`, top to bottom."""
    rows = []
    for row in board.window.model.rows:
        found = board.window.state.conversation(row)
        rows.append(f"{row.agent}/{found.state.conversation_id}" if found else row.agent)
    return rows


def cell(board: Board, row: Row, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return board.window.model.index_of(row, column).data(role)


def started(qtbot: QtBot, board: Board, expected: list[str]) -> None:
    board.start()
    qtbot.waitUntil(lambda: shown(board) == expected, timeout=WAIT_MS)
    assert "Connected to mqtt://127.0.0.1" in board.window.link_label.text()


ORDER = ["bob", "bob/chatwoot:3", "ann", "ann/zammad:1", "ann/chatwoot:2"]
ANN_NEGATIVE = Row("ann", conversation_key("zammad:1"))
BOB_CHAT = Row("bob", conversation_key("chatwoot:3"))


def test_starts_from_the_retained_state_worst_first_then_follows_live(
    qtbot: QtBot, broker: Mosquitto, board: Board
) -> None:
    publish(broker.port, *two_agents())
    started(qtbot, board, ORDER)
    window = board.window
    assert window.counts.text() == "2 agents online · 3 open chats"
    assert cell(board, ANN_NEGATIVE, LEVEL) == "negative"
    assert cell(board, ANN_NEGATIVE, TREND) == "↓ falling"
    assert cell(board, ANN_NEGATIVE, AT_LEVEL) in {"1 min", "2 min"}
    assert cell(board, ANN_NEGATIVE, SCORES, SCORES_ROLE) == (0.2, -0.1, -0.4)
    icon = cell(board, ANN_NEGATIVE, NAME, Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()  # type: ignore[attr-defined]
    assert cell(board, Row("ann"), LEVEL) == "2 open chats"
    window.tree.setCurrentIndex(window.model.index_of(BOB_CHAT))

    # bob's chat recovers, ann's neutral chat turns very negative: ann moves to the top.
    publish(
        broker.port,
        conversation_state(TEAM, "bob", "chatwoot:3", "neutral", scores=(-0.3, -0.7, 0.0)),
        conversation_state(TEAM, "ann", "chatwoot:2", "very_negative", score=-0.8),
    )
    qtbot.waitUntil(
        lambda: shown(board) == ["ann", "ann/chatwoot:2", "ann/zammad:1", "bob", "bob/chatwoot:3"],
        timeout=WAIT_MS,
    )
    assert window.model.row_at(window.tree.currentIndex()) == BOB_CHAT, "selection follows"
    assert window.timeline.points[-1].score == 0.0  # the chosen chat's timeline follows too


def test_alerts_reach_the_feed_and_notify_at_the_team_threshold(
    qtbot: QtBot, broker: Mosquitto, board: Board
) -> None:
    publish(broker.port, *two_agents())
    started(qtbot, board, ORDER)
    publish(broker.port, alert(TEAM, "ann", "zammad:1", "negative"))
    qtbot.waitUntil(lambda: board.window.alerts.count() == 1, timeout=WAIT_MS)
    assert "ann: zammad:1 is negative" in board.window.alerts.item(0).text()
    assert [title for title, _ in board.window.notifier.shown] == ["ann: zammad:1 is negative"]
    # A recovery and a milder fast drop are listed but not notified; activating one selects it.
    publish(
        broker.port,
        alert(TEAM, "ann", "zammad:1", "neutral", kind="recovery"),
        alert(TEAM, "bob", "chatwoot:3", "slightly_negative", kind="fast_drop"),
    )
    qtbot.waitUntil(lambda: board.window.alerts.count() == 3, timeout=WAIT_MS)
    assert len(board.window.notifier.shown) == 1
    board.window.alerts.itemClicked.emit(board.window.alerts.item(0))
    assert board.window.selected == BOB_CHAT


def test_offline_greys_an_agent_and_a_cleared_chat_goes(
    qtbot: QtBot, broker: Mosquitto, board: Board
) -> None:
    publish(broker.port, *two_agents())
    started(qtbot, board, ORDER)
    board.window.select(BOB_CHAT)
    assert board.window.timeline.points
    publish(broker.port, presence(TEAM, "bob", False))
    qtbot.waitUntil(lambda: shown(board)[0] == "ann", timeout=WAIT_MS)
    assert shown(board)[-2:] == ["bob", "bob/chatwoot:3"], "offline agents go last"
    assert cell(board, Row("bob"), NAME) == "bob (offline)"
    grey = cell(board, BOB_CHAT, NAME, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(grey, QBrush) and grey.color().name() == "#9a9a9a"
    assert cell(board, ANN_NEGATIVE, NAME, Qt.ItemDataRole.ForegroundRole) is None
    assert board.window.counts.text() == "1 agent online · 3 open chats"

    publish(broker.port, cleared(TEAM, "bob", "chatwoot:3"))
    qtbot.waitUntil(lambda: "bob/chatwoot:3" not in shown(board), timeout=WAIT_MS)
    assert shown(board) == ["ann", "ann/zammad:1", "ann/chatwoot:2", "bob"]
    assert board.window.timeline.title.text() == CLOSED and not board.window.timeline.points


def test_site_filter(qtbot: QtBot, broker: Mosquitto, board: Board) -> None:
    publish(broker.port, *two_agents())
    started(qtbot, board, ORDER)
    combo = board.window.site_filter
    assert [combo.itemText(i) for i in range(combo.count())] == ["All sites", "chatwoot", "zammad"]
    combo.setCurrentIndex(2)
    assert shown(board) == ["ann", "ann/zammad:1"]
    assert cell(board, Row("ann"), LEVEL) == "1 open chat"
    # A live chat on another site stays hidden; one on zammad appears.
    publish(
        broker.port,
        conversation_state(TEAM, "cy", "chatwoot:9", "very_negative"),
        conversation_state(TEAM, "bob", "zammad:4", "negative", site="zammad"),
    )
    qtbot.waitUntil(lambda: "bob/zammad:4" in shown(board), timeout=WAIT_MS)
    assert "cy" not in shown(board) and combo.currentText() == "zammad"
    combo.setCurrentIndex(0)
    assert shown(board)[:2] == ["bob", "bob/chatwoot:3"] and "cy/chatwoot:9" in shown(board)


def test_clicking_a_chat_shows_its_timeline(qtbot: QtBot, broker: Mosquitto, board: Board) -> None:
    publish(broker.port, *two_agents())
    started(qtbot, board, ORDER)
    window = board.window
    window.resize(1100, 700)
    index = window.model.index_of(ANN_NEGATIVE, NAME)
    window.tree.scrollTo(index)
    point = window.tree.visualRect(index).center()
    viewport = window.tree.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)  # type: ignore[no-untyped-call]
    assert window.selected == ANN_NEGATIVE
    points = window.timeline.points
    assert [(p.index, p.score) for p in points] == [(3, 0.2), (4, -0.1), (5, -0.4)]
    assert "ann: zammad:1 on zammad" in window.timeline.title.text()
    # A live update of the chosen chat extends its timeline.
    publish(
        broker.port,
        conversation_state(
            TEAM,
            "ann",
            "zammad:1",
            "very_negative",
            site="zammad",
            scores=(0.2, -0.1, -0.4, -0.7),
            customer_messages=6,
        ),
    )
    qtbot.waitUntil(lambda: len(window.timeline.points) == 4, timeout=WAIT_MS)
    assert window.timeline.points[-1].index == 6
    # An agent's row is not a chat: the timeline asks for one.
    bob = window.tree.visualRect(window.model.index_of(Row("bob"))).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=bob)  # type: ignore[no-untyped-call]
    assert window.selected is None and not window.timeline.points


def test_bad_messages_are_ignored(qtbot: QtBot, broker: Mosquitto, board: Board) -> None:
    topic = conversation_topic(TEAM, "eve", "x:1")
    publish(
        broker.port,
        Message(topic, b"{broken"),
        Message(topic.replace("x:1", "y"), b'{"v": 2, "agent": "eve"}'),
        Message(f"moodline/v1/{TEAM}/alerts", b"not json", retain=False),
        *two_agents(),
    )
    started(qtbot, board, ORDER)
    assert board.window.alerts.count() == 0
    assert board.subscriber.state == LinkState.CONNECTED
