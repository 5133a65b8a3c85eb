"""A conversation's score timeline on the board: the widget's trend chart over the seven level
bands, fed with the window scores the agent's daemon publishes (its last 20)."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QVBoxLayout, QWidget

from moodline.board.state import BoardConversation
from moodline.board.text import level_text
from moodline.daemon.levels import level_for_score
from moodline.widget.plain_text import plain_label
from moodline.widget.trend_chart import ChartPoint, TrendChart

PROMPT = "Click a chat to see its score timeline."


def timeline_points(conversation: BoardConversation) -> list[ChartPoint]:
    """One point per published window score, numbered by customer message (the newest score is
    the latest message's)."""
    state = conversation.state
    first = max(1, state.customer_messages - len(state.scores) + 1)
    return [
        ChartPoint(
            index=first + i,
            score=score,
            message_id=str(first + i),
            text=f"{level_text(level_for_score(score))} band",
            own_score=None,
            contribution=None,
        )
        for i, score in enumerate(state.scores)
    ]


class ConversationTimeline(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.title = plain_label(PROMPT, wrap=True)
        self.chart = TrendChart()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.chart)

    @property
    def points(self) -> list[ChartPoint]:
        return self.chart.points

    def show_conversation(self, conversation: BoardConversation) -> None:
        state = conversation.state
        self.title.setText(
            f"{state.agent}: {state.conversation_id} on {state.site}, {level_text(state.level)} "
            f"(lowest {level_text(state.lowest_level)}), {state.customer_messages} customer "
            "messages"
        )
        chart, points = self.chart, timeline_points(conversation)
        chart.points = points
        xs, ys = [p.index for p in points], [p.score for p in points]
        chart.line.setData(xs, ys)
        chart.scatter.setData(x=xs, y=ys, data=points)
        if xs:
            step = max(1, math.ceil(len(xs) / 10))
            chart.plot.getAxis("bottom").setTickSpacing(major=step, minor=step)
            chart.plot.setXRange(max(0.5, xs[0] - 0.5), xs[-1] + 0.5, padding=0)

    def clear(self, reason: str = PROMPT) -> None:
        self.title.setText(reason)
        self.chart.points = []
        self.chart.line.setData([], [])
        self.chart.scatter.setData(x=[], y=[], data=[])
