"""The glance window without a daemon: states look unlike levels, scraped text stays plain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moodline.widget.conversations import ConversationListModel
from moodline.widget.glance import GlanceWindow
from moodline.widget.link import ConnectionState

pytestmark = pytest.mark.gui


def test_connection_states_are_always_visible(qtbot: QtBot) -> None:
    model = ConversationListModel()
    window = GlanceWindow(model)
    qtbot.addWidget(window)
    model.apply_event(
        {
            "type": "sentiment",
            "conversation_id": "a",
            "level": "negative",
            "score": -0.4,
            "source": {"title": "Ann"},
        }
    )
    texts = {}
    for state in ConnectionState:
        window.set_connection_state(state.value)
        texts[state] = window.title.text()
        shows_level = "negative" in window.detail.text()
        assert shows_level == (state == ConnectionState.READY), state
    assert texts[ConnectionState.READY] == "Ann"
    assert len(set(texts.values())) == len(ConnectionState), texts


def test_window_is_frameless_and_on_top(qtbot: QtBot) -> None:
    window = GlanceWindow(ConversationListModel())
    qtbot.addWidget(window)
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint


def test_scraped_text_is_shown_literally(qtbot: QtBot) -> None:
    model = ConversationListModel()
    window = GlanceWindow(model)
    qtbot.addWidget(window)
    window.set_connection_state("ready")
    model.apply_event(
        {
            "type": "sentiment",
            "conversation_id": "x",
            "level": "neutral",
            "score": 0.0,
            "source": {"title": "<b>Bob</b> <img src=x>"},
        }
    )
    assert window.title.text() == "<b>Bob</b> <img src=x>"
    assert window.title.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;img src=x&gt;" in window.toolTip() and "<img" not in window.toolTip()
    assert "neutral" in window.icon.accessibleName()


def test_moodline_widget_starts_without_a_daemon(tmp_path: object) -> None:
    import os
    import subprocess
    import sys
    import time

    from tests.conftest import free_port

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "moodline", "widget", "--port", str(free_port())],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(4)
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
    finally:
        process.terminate()
        process.wait(10)


def test_pulse_flashes_then_stops(qtbot: QtBot) -> None:
    window = GlanceWindow(ConversationListModel())
    qtbot.addWidget(window)
    window.pulse(flashes=4, interval_ms=10)
    assert window.pulsing
    qtbot.waitUntil(lambda: not window.pulsing, timeout=3000)
    assert window.styleSheet() == ""


def test_tray_alert_pulses_the_window(qtbot: QtBot, qapp: object) -> None:
    from PySide6.QtWidgets import QApplication

    from moodline.daemon.alerts import Alert, AlertKind
    from moodline.daemon.levels import Level
    from moodline.widget.link import DaemonLink
    from moodline.widget.tray import Tray

    model = ConversationListModel()
    window = GlanceWindow(model)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray = Tray(app, model, window, DaemonLink(1, lambda: None))
    tray.show_alert(Alert("a", AlertKind.THRESHOLD, Level.NEGATIVE, Level.NEUTRAL))
    assert window.pulsing
    window.set_connection_state("paused")
    tray.refresh()
    assert tray.pause.isChecked()


def test_expand_shows_details_and_selection_is_announced(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    model = ConversationListModel()
    details = QLabel("details")
    window = GlanceWindow(model, details=details)
    qtbot.addWidget(window)
    window.show()
    assert not details.isVisible()
    window.expand.setChecked(True)
    assert details.isVisible() and window.expand.text() == "Why ▾"
    with qtbot.waitSignal(window.selectionChanged, timeout=1000) as blocker:
        model.apply_event(
            {"type": "sentiment", "conversation_id": "z", "level": "negative", "score": -0.4}
        )
    assert blocker.args == ["z"]


def test_tray_menu_opens_settings_and_review(qtbot: QtBot, qapp: object) -> None:
    from PySide6.QtWidgets import QApplication

    from moodline.widget.link import DaemonLink
    from moodline.widget.tray import Tray

    model = ConversationListModel()
    window = GlanceWindow(model)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    opened: list[str] = []
    tray = Tray(
        app,
        model,
        window,
        DaemonLink(1, lambda: None),
        open_settings=lambda: opened.append("settings"),
        open_review=lambda: opened.append("review"),
    )
    texts = [action.text() for action in tray.menu.actions()]
    assert texts == [
        "Show/hide widget",
        "Pause scoring",
        "Show pairing code…",
        "Settings…",
        "Review…",
        "Quit",
    ]
    tray.settings.trigger()
    tray.review.trigger()
    assert opened == ["settings", "review"]
