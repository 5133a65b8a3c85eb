"""The expanded view's "why" panel: the window's messages with their contributions, and
one-click corrections (negative / neutral / positive) with undo, sent to the daemon."""

from __future__ import annotations

import concurrent.futures
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moodline.widget.conversations import READING_PROBLEM
from moodline.widget.icons import level_pixmap
from moodline.widget.link import DaemonLink
from moodline.widget.plain_text import plain_label, plain_tooltip
from moodline.widget.why import WhyRow, why_rows

CORRECTIONS = (("negative", "−"), ("neutral", "="), ("positive", "+"))


class DetailLoader(QObject):
    """Fetches a conversation's detail through the link and hands it to the GUI thread."""

    loaded = Signal(dict)
    failed = Signal(str)

    def __init__(self, link: DaemonLink) -> None:
        super().__init__()
        self.link = link

    def load(self, conversation_id: str) -> None:
        path = f"/v1/conversations/{quote(conversation_id, safe='')}"
        self._watch(self.link.request("GET", path))

    def correct(self, conversation_id: str, message_id: str, label: str | None) -> None:
        path = (
            f"/v1/conversations/{quote(conversation_id, safe='')}/messages/"
            f"{quote(message_id, safe='')}/correction"
        )
        if label is None:
            future = self.link.request("DELETE", path)
        else:
            future = self.link.request("PUT", path, {"label": label})
        future.add_done_callback(lambda _f: self.load(conversation_id))

    def _watch(self, future: concurrent.futures.Future[dict[str, Any]]) -> None:
        def done(f: concurrent.futures.Future[dict[str, Any]]) -> None:
            try:
                self.loaded.emit(f.result())
            except Exception as exc:
                self.failed.emit(str(exc))

        future.add_done_callback(done)


class WhyPanel(QWidget):
    """One row per message in the current window; buttons correct it, Undo takes it back."""

    def __init__(self, loader: DetailLoader) -> None:
        super().__init__()
        self.loader = loader
        self.conversation_id: str | None = None
        self.rows: list[WhyRow] = []
        self.heading = QLabel("Why")
        self.reading = plain_label(wrap=True)
        self.reading.setObjectName("reading-problem")
        self.reading.setVisible(False)
        self.list = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.reading)
        layout.addLayout(self.list)
        layout.addStretch(1)
        loader.loaded.connect(self.show_detail)
        loader.failed.connect(lambda text: self.heading.setText(f"Why: unavailable ({text})"))

    def follow(self, conversation_id: str | None) -> None:
        self.conversation_id = conversation_id
        if conversation_id:
            self.loader.load(conversation_id)

    @Slot(dict)
    def on_event(self, event: dict[str, Any]) -> None:
        if (
            event.get("type") in ("sentiment", "reading")
            and event.get("conversation_id") == self.conversation_id
        ):
            assert self.conversation_id is not None
            self.loader.load(self.conversation_id)

    @Slot(dict)
    def show_detail(self, detail: dict[str, Any]) -> None:
        if detail.get("conversation_id") != self.conversation_id:
            return
        self.rows = why_rows(detail)
        refused = int(detail.get("reading_problems") or 0)
        said = f"{READING_PROBLEM} ({refused} message{'' if refused == 1 else 's'} refused)"
        self.reading.setText(f"⚠ {said}")
        self.reading.setAccessibleName(said)
        self.reading.setVisible(refused > 0)
        while self.list.count():
            item = self.list.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.heading.setText(f"Why: {len(self.rows)} messages in the window")
        for row in self.rows:
            self.list.addWidget(self._row_widget(row))

    def _row_widget(self, row: WhyRow) -> QWidget:
        widget = QWidget()
        widget.setObjectName(f"why-{row.message_id}")
        line = QHBoxLayout(widget)
        line.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        text = QLabel(row.short_text)
        text.setTextFormat(Qt.TextFormat.PlainText)  # the customer's words, never markup
        text.setToolTip(plain_tooltip(row.text))
        text.setWordWrap(True)
        if row.not_scored:
            icon.setText("–")
            icon.setAccessibleName(row.not_scored)
            share = QLabel(row.not_scored)
            share.setObjectName("not-scored")
            share.setToolTip(
                "Moodline scores English and 14 other languages, not this one: this message "
                "does not move the level. Label it yourself and it counts."
            )
        else:
            icon.setPixmap(level_pixmap(row.level, 16))
            icon.setAccessibleName(row.level.value.replace("_", " "))
            share = QLabel(f"{row.contribution:+.2f}")
            share.setToolTip("this message's share of the window score")
        line.addWidget(icon)
        line.addWidget(text, 1)
        if row.scored_in:
            language = QLabel(row.scored_in)
            language.setObjectName("scored-in")
            language.setToolTip(
                f"scored in its own language ({row.language}) by the multilingual path"
            )
            line.addWidget(language)
        line.addWidget(share)
        if row.corrected_label:
            mark = QLabel(f"corrected: {row.corrected_label}")
            undo = QPushButton("Undo")
            undo.setObjectName("undo")
            undo.clicked.connect(lambda: self._correct(row.message_id, None))
            line.addWidget(mark)
            line.addWidget(undo)
        else:
            for label, glyph in CORRECTIONS:
                button = QPushButton(glyph)
                button.setObjectName(f"correct-{label}")
                button.setAccessibleName(f"mark as {label}")
                button.setToolTip(f"This message is {label}")
                button.setFixedWidth(28)
                button.clicked.connect(
                    lambda _checked=False, lab=label: self._correct(row.message_id, lab)
                )
                line.addWidget(button)
        return widget

    def _correct(self, message_id: str, label: str | None) -> None:
        if self.conversation_id:
            self.loader.correct(self.conversation_id, message_id, label)


class ExpandedView(QWidget):
    """The expanded widget: the trend chart above the "why" panel, for one conversation."""

    def __init__(self, loader: DetailLoader, chart: QWidget) -> None:
        super().__init__()
        self.why = WhyPanel(loader)
        self.chart = chart
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(chart)
        layout.addWidget(self.why)
        loader.loaded.connect(self._on_loaded)

    def follow(self, conversation_id: str | None) -> None:
        self.why.follow(conversation_id)

    @Slot(dict)
    def on_event(self, event: dict[str, Any]) -> None:
        self.why.on_event(event)

    @Slot(dict)
    def _on_loaded(self, detail: dict[str, Any]) -> None:
        show = getattr(self.chart, "show_detail", None)
        if show is not None and detail.get("conversation_id") == self.why.conversation_id:
            show(detail)
