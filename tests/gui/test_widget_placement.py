"""The glance window's remembered place per screen, compact/expanded state, always-on-top switch
and opacity, with QSettings in a temporary file and made-up screens."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from moodline.widget.conversations import ConversationListModel
from moodline.widget.glance import GlanceWindow
from moodline.widget.placement import (
    PlacementKeeper,
    ScreenInfo,
    WindowPlacement,
    screen_for,
    visible_on,
)

pytestmark = pytest.mark.gui

LEFT = ScreenInfo("DP-1", QRect(0, 0, 1920, 1080))
RIGHT = ScreenInfo("HDMI/2", QRect(1920, 0, 1280, 1024))


def store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "widget-state.ini"), QSettings.Format.IniFormat)


def test_visible_means_enough_to_grab() -> None:
    screen = QRect(0, 0, 1920, 1080)
    assert visible_on(QRect(100, 100, 300, 120), screen)
    assert visible_on(QRect(1900, 1060, 300, 120), screen) is False, "only a 20 px corner shows"
    assert visible_on(QRect(1870, 1030, 300, 120), screen)
    assert not visible_on(QRect(3000, 100, 300, 120), screen)
    assert screen_for(QRect(1700, 100, 300, 120), [LEFT, RIGHT]) == LEFT
    assert screen_for(QRect(1900, 100, 300, 120), [LEFT, RIGHT]) == RIGHT
    assert screen_for(QRect(9000, 100, 300, 120), [LEFT, RIGHT]) is None


def test_places_are_kept_per_screen(tmp_path: Path) -> None:
    placement = WindowPlacement(store(tmp_path))
    assert placement.restore([LEFT]) is None and placement.expanded is False
    placement.save(QRect(100, 80, 320, 140), LEFT)
    placement.save(QRect(2000, 50, 300, 400), RIGHT)
    again = WindowPlacement(store(tmp_path))  # a new start reads the same file
    assert again.restore([LEFT, RIGHT]) == QRect(2000, 50, 300, 400), "the last screen used"
    assert again.restore([LEFT]) == QRect(100, 80, 320, 140), "that screen is unplugged"
    moved = ScreenInfo("HDMI/2", QRect(-1280, 0, 1280, 1024))
    assert again.restore([moved]) is None, "same name, other geometry: another key"
    smaller = ScreenInfo("DP-1", QRect(0, 0, 1920, 1080))
    again.save(QRect(5000, 5000, 300, 100), smaller)
    assert again.restore([smaller]) is None, "never restored off every screen"
    again.expanded = True
    assert WindowPlacement(store(tmp_path)).expanded is True
    assert RIGHT.key == "HDMI_2_1920_0_1280x1024"


def test_keeper_restores_and_saves_the_glance_window(qtbot: QtBot, tmp_path: Path) -> None:
    placement = WindowPlacement(store(tmp_path))
    placement.save(QRect(200, 150, 360, 300), LEFT)
    placement.expanded = True
    window = GlanceWindow(ConversationListModel(), details=QLabel("details"))
    qtbot.addWidget(window)
    keeper = PlacementKeeper(window, placement, screens=lambda: [LEFT])
    keeper.restore()
    window.show()
    assert window.expanded and window.geometry() == QRect(200, 150, 360, 300)
    window.move(260, 170)
    qtbot.waitUntil(lambda: placement.restore([LEFT]) == window.geometry(), timeout=3000)
    window.set_expanded(False)
    assert WindowPlacement(store(tmp_path)).expanded is False
    assert window.width() == 360, "collapsing keeps the width"


def test_always_on_top_switch_keeps_the_place(qtbot: QtBot) -> None:
    window = GlanceWindow(ConversationListModel())
    qtbot.addWidget(window)
    window.show()
    window.setGeometry(QRect(300, 200, 280, 120))
    assert window.always_on_top
    window.set_always_on_top(False)
    assert not window.always_on_top and window.isVisible()
    assert window.geometry() == QRect(300, 200, 280, 120)
    window.set_always_on_top(True)
    assert window.always_on_top and window.geometry() == QRect(300, 200, 280, 120)
    window.set_opacity(0.5)
    assert window.windowOpacity() == pytest.approx(0.5, abs=0.01)
    window.set_opacity(0.0)
    assert window.windowOpacity() == pytest.approx(0.3, abs=0.01), "never invisible"
